import { createContext, useContext } from "react";

/** The per-response CSP nonce, so Remix's inline scripts run under a strict Content-Security-Policy. */
const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
