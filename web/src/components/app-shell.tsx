/**
 * The frame around every page: a skip link, the header (brand, navigation, language, sign-out), a
 * notice when the device is offline, and the page itself inside an error boundary and a loading
 * fallback, so that no failure leaves the screen blank.
 */
import { Spin } from "antd";
import { Suspense, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, NavLink, Outlet, useLocation } from "react-router";
import { useSignedIn } from "../api/session";
import { ErrorBoundary } from "./error-boundary";
import { LanguageSwitch } from "./language-switch";
import { SignOutButton } from "./sign-out-button";

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener("online", on);
    window.addEventListener("offline", off);
    return () => {
      window.removeEventListener("online", on);
      window.removeEventListener("offline", off);
    };
  }, []);
  return online;
}

export function PageLoading() {
  const { t } = useTranslation();
  return (
    <div className="zx-page-loading" role="status">
      <Spin />
      <span>{t("common.loading")}</span>
    </div>
  );
}

export function AppShell() {
  const { t } = useTranslation();
  const signedIn = useSignedIn();
  const online = useOnline();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After navigating, move focus to the new page so keyboard and screen-reader users start there.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation only; the refs are stable.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [location.pathname]);

  return (
    <div className="zx-app">
      <a className="zx-skip" href="#main">
        {t("shell.skip")}
      </a>
      <header className="zx-header">
        <div className="zx-header-inner">
          <Link to="/" className="zx-brand" aria-label={t("shell.home")}>
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <span>{t("app.name")}</span>
          </Link>
          <nav className="zx-nav" aria-label={t("shell.navigation")}>
            {signedIn && (
              <NavLink to="/cards" className="zx-nav-link">
                {t("shell.myCards")}
              </NavLink>
            )}
            {signedIn && (
              <NavLink to="/appointments" className="zx-nav-link">
                {t("shell.appointments")}
              </NavLink>
            )}
            <NavLink to="/lookup" className="zx-nav-link">
              {t("shell.lookup")}
            </NavLink>
          </nav>
          <div className="zx-tools">
            <LanguageSwitch />
            {signedIn && <SignOutButton />}
          </div>
        </div>
      </header>
      {!online && (
        <div className="zx-offline" role="alert">
          {t("shell.offline")}
        </div>
      )}
      <main id="main" ref={main} tabIndex={-1} className="zx-main">
        <ErrorBoundary resetKey={location.pathname}>
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </main>
      <footer className="zx-footer">
        <p>{t("shell.footerPrivacy")}</p>
        <p>{t("shell.footerHelp")}</p>
      </footer>
    </div>
  );
}
