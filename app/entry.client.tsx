import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { STRINGS_READY_EVENT } from "./i18n";

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
function hydrateWhenIdle() {
  if (typeof requestIdleCallback === "function") requestIdleCallback(hydrate, { timeout: 1000 });
  else setTimeout(hydrate, 1); // Safari has no requestIdleCallback
}

// Not before the strings script has run: Remix's hydration script is an async module, which may
// run before the deferred strings script has loaded (a slow answer for it), and a page hydrated
// without its strings would replace every text with its key. If the strings never come, the page
// stays as the server sent it, which works without JavaScript.
if (window.__portalStrings) hydrateWhenIdle();
else window.addEventListener(STRINGS_READY_EVENT, hydrateWhenIdle, { once: true });
