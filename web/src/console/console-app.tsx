/**
 * The staff back office under /console: its own layout, session and query cache. Each page is a
 * chunk of its own (the dashboard's charts load only there), and the whole console is one lazy
 * import away from the portal, so none of it enters the portal's first screen.
 */
import { QueryClientProvider } from "@tanstack/react-query";
import { Button, Layout, Menu, Spin, Tag } from "antd";
import { lazy, Suspense } from "react";
import { Navigate, Route, Routes, useLocation, useNavigate } from "react-router";
import { LanguageSwitch } from "../components/language-switch";
import { consoleQueryClient, endStaffSession, isSupervisor, staffApi, useStaffSession } from "./api";
import { useConsoleT } from "./i18n";
import "./console.css";

const SignIn = lazy(() => import("./sign-in-page"));
const QueuePage = lazy(() => import("./queue-page"));
const ReviewPage = lazy(() => import("./review-page"));
const CounterPage = lazy(() => import("./counter-page"));
const CounterToday = lazy(() => import("./counter-today"));
const DashboardPage = lazy(() => import("./dashboard-page"));

function Shell({ children }: { children: React.ReactNode }) {
  const { t } = useConsoleT();
  const session = useStaffSession();
  const location = useLocation();
  const navigate = useNavigate();
  const section = location.pathname.split("/")[2] ?? "";
  const items = [
    { key: "", label: t("shell.queue") },
    { key: "counter", label: t("shell.counter") },
    { key: "today", label: t("shell.today") },
    ...(isSupervisor(session) ? [{ key: "dashboard", label: t("shell.dashboard") }] : []),
  ];
  const selected = section === "applications" ? "" : section;
  const signOut = async () => {
    await staffApi("POST", "/auth/logout").catch(() => undefined);
    endStaffSession();
    navigate("/console/sign-in");
  };
  return (
    <Layout className="zxc-layout">
      <a className="zxc-skip" href="#zxc-main">
        {t("shell.skip")}
      </a>
      <Layout.Header className="zxc-header">
        <div className="zxc-brand">{t("shell.title")}</div>
        {session && (
          <nav aria-label={t("shell.nav")} className="zxc-nav">
            <Menu
              mode="horizontal"
              theme="dark"
              selectedKeys={[selected]}
              items={items}
              onClick={(e) => navigate(`/console/${e.key}`)}
            />
          </nav>
        )}
        <div className="zxc-header-right">
          {session && (
            <Tag color="blue" data-testid="staff-role">
              {session.id} · {t(`shell.role.${session.role}`, { defaultValue: session.role })}
            </Tag>
          )}
          <LanguageSwitch />
          {session && (
            <Button size="small" onClick={signOut}>
              {t("shell.signOut")}
            </Button>
          )}
        </div>
      </Layout.Header>
      <Layout.Content id="zxc-main" className="zxc-main" tabIndex={-1}>
        <Suspense fallback={<Spin className="zxc-loading" />}>{children}</Suspense>
      </Layout.Content>
    </Layout>
  );
}

function RequireStaff({ children, supervisor }: { children: React.ReactNode; supervisor?: boolean }) {
  const session = useStaffSession();
  const location = useLocation();
  if (!session) {
    return (
      <Navigate
        to={`/console/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`}
        replace
      />
    );
  }
  if (supervisor && !isSupervisor(session)) return <Navigate to="/console" replace />;
  return children;
}

export default function ConsoleApp() {
  return (
    <QueryClientProvider client={consoleQueryClient}>
      <Shell>
        <Routes>
          <Route path="sign-in" element={<SignIn />} />
          <Route
            index
            element={
              <RequireStaff>
                <QueuePage />
              </RequireStaff>
            }
          />
          <Route
            path="applications/:id"
            element={
              <RequireStaff>
                <ReviewPage />
              </RequireStaff>
            }
          />
          <Route
            path="counter"
            element={
              <RequireStaff>
                <CounterPage />
              </RequireStaff>
            }
          />
          <Route
            path="today"
            element={
              <RequireStaff>
                <CounterToday />
              </RequireStaff>
            }
          />
          <Route
            path="dashboard"
            element={
              <RequireStaff supervisor>
                <DashboardPage />
              </RequireStaff>
            }
          />
          <Route path="*" element={<Navigate to="/console" replace />} />
        </Routes>
      </Shell>
    </QueryClientProvider>
  );
}
