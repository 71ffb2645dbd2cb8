import { createBrowserRouter, Navigate, RouterProvider } from "react-router";
import { Layout } from "./components/Layout";
import { RequireKey } from "./components/RequireKey";
import { AppDetailPage } from "./pages/apps/AppDetailPage";
import { AppsPage } from "./pages/apps/AppsPage";
import { SignIn } from "./pages/SignIn";
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from "react";

// Each area is its own chunk: the chat page does not load the graph editor or the charts.
const ChatPage = lazy(() => import("./pages/chat/ChatPage").then((m) => ({ default: m.ChatPage })));
const SharePage = lazy(() => import("./pages/chat/SharePage").then((m) => ({ default: m.SharePage })));
const DatasetDetailPage = lazy(() =>
  import("./pages/datasets/DatasetDetailPage").then((m) => ({ default: m.DatasetDetailPage })),
);
const DatasetsPage = lazy(() => import("./pages/datasets/DatasetsPage").then((m) => ({ default: m.DatasetsPage })));
const EditorPage = lazy(() => import("./pages/editor/EditorPage").then((m) => ({ default: m.EditorPage })));
const LogsPage = lazy(() => import("./pages/logs/LogsPage").then((m) => ({ default: m.LogsPage })));

function page(Component: LazyExoticComponent<ComponentType>) {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <Component />
    </Suspense>
  );
}

// Every screen reads the public API only; the server answers index.html for these paths.
const router = createBrowserRouter([
  { path: "/login", element: <SignIn /> },
  { path: "/chat/share", element: page(SharePage) },
  {
    element: <RequireKey />,
    children: [
      // The editor and chat use the whole window.
      { path: "/apps/:appId/workflow", element: page(EditorPage) },
      {
        element: <Layout />,
        children: [
          { path: "/", element: <Navigate to="/apps" replace /> },
          { path: "/apps", element: <AppsPage /> },
          { path: "/apps/:appId", element: <AppDetailPage /> },
          { path: "/apps/:appId/chat", element: page(ChatPage) },
          { path: "/apps/:appId/logs", element: page(LogsPage) },
          { path: "/datasets", element: page(DatasetsPage) },
          { path: "/datasets/:datasetId", element: page(DatasetDetailPage) },
          { path: "*", element: <p>Page not found.</p> },
        ],
      },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
