import { createRoot } from "react-dom/client";
import { App } from "./app";
import { initI18n } from "./i18n";
import "./styles.css";

// A page chunk that no longer exists means a new version was deployed while this tab was open:
// load the new version once (the router's state survives a reload), rather than show an error.
window.addEventListener("vite:preloadError", (event) => {
  const key = "zx.reloadedForUpdate";
  try {
    if (sessionStorage.getItem(key) === location.pathname) return;
    sessionStorage.setItem(key, location.pathname);
  } catch {
    return;
  }
  event.preventDefault();
  location.reload();
});

const root = createRoot(document.getElementById("root")!);
initI18n().finally(() => root.render(<App />));
