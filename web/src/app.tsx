/**
 * The portal: providers (query cache, Ant Design theme and locale, router) and the routes. Every
 * page is its own chunk, loaded when first visited, so the first screen carries only what it shows.
 */
import { QueryClientProvider } from "@tanstack/react-query";
import { lazy } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router";
import { queryClient } from "./api/queries";
import { useSignedIn } from "./api/session";
import { AppShell } from "./components/app-shell";
import { UiProvider } from "./components/ui-provider";

const SignInPage = lazy(() => import("./pages/sign-in-page"));
const CardsPage = lazy(() => import("./pages/cards-page"));
const JourneyPage = lazy(() => import("./pages/journey-page"));
const ApplicationPage = lazy(() => import("./pages/application-page"));
const BatchPage = lazy(() => import("./pages/batch-page"));
const LookupPage = lazy(() => import("./pages/lookup-page"));
const BookingPage = lazy(() => import("./booking/booking-page"));
const NotFoundPage = lazy(() => import("./pages/not-found-page"));
const ConsoleApp = lazy(() => import("./console/console-app"));

/** Pages that need a holder session send everyone else to sign in, and back here afterwards. */
function RequireSession({ children }: { children: React.ReactNode }) {
  const signedIn = useSignedIn();
  const location = useLocation();
  if (!signedIn) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  return children;
}

function Home() {
  return <Navigate to={useSignedIn() ? "/cards" : "/sign-in"} replace />;
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <UiProvider>
        <BrowserRouter>
          <Routes>
            <Route path="console/*" element={<ConsoleApp />} />
            <Route element={<AppShell />}>
              <Route index element={<Home />} />
              <Route path="sign-in" element={<SignInPage />} />
              <Route path="lookup" element={<LookupPage />} />
              <Route
                path="cards"
                element={
                  <RequireSession>
                    <CardsPage />
                  </RequireSession>
                }
              />
              <Route
                path="cards/:cardId"
                element={
                  <RequireSession>
                    <JourneyPage />
                  </RequireSession>
                }
              />
              <Route
                path="applications/:applicationId"
                element={
                  <RequireSession>
                    <ApplicationPage />
                  </RequireSession>
                }
              />
              <Route
                path="appointments"
                element={
                  <RequireSession>
                    <BookingPage />
                  </RequireSession>
                }
              />
              <Route
                path="batches/:batchId"
                element={
                  <RequireSession>
                    <BatchPage />
                  </RequireSession>
                }
              />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </UiProvider>
    </QueryClientProvider>
  );
}
