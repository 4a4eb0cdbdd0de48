import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";

function hydrate() {
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  });
}

// The server-rendered page is complete and usable (every form posts without JavaScript), so it
// paints first; React takes over when the main thread is idle (Remix's former default template).
if (typeof requestIdleCallback === "function") requestIdleCallback(hydrate, { timeout: 1000 });
else setTimeout(hydrate, 1); // Safari has no requestIdleCallback
