import { createBrowserRouter, Navigate, RouterProvider } from "react-router";
import { Layout } from "./components/Layout";
import { RequireKey } from "./components/RequireKey";
import { AppDetailPage } from "./pages/apps/AppDetailPage";
import { AppsPage } from "./pages/apps/AppsPage";
import { ChatPage } from "./pages/chat/ChatPage";
import { SharePage } from "./pages/chat/SharePage";
import { DatasetDetailPage } from "./pages/datasets/DatasetDetailPage";
import { DatasetsPage } from "./pages/datasets/DatasetsPage";
import { EditorPage } from "./pages/editor/EditorPage";
import { LogsPage } from "./pages/logs/LogsPage";
import { SignIn } from "./pages/SignIn";

// Every screen reads the public API only; the server answers index.html for these paths.
const router = createBrowserRouter([
  { path: "/login", element: <SignIn /> },
  { path: "/chat/share", element: <SharePage /> },
  {
    element: <RequireKey />,
    children: [
      // The editor and chat use the whole window.
      { path: "/apps/:appId/workflow", element: <EditorPage /> },
      {
        element: <Layout />,
        children: [
          { path: "/", element: <Navigate to="/apps" replace /> },
          { path: "/apps", element: <AppsPage /> },
          { path: "/apps/:appId", element: <AppDetailPage /> },
          { path: "/apps/:appId/chat", element: <ChatPage /> },
          { path: "/apps/:appId/logs", element: <LogsPage /> },
          { path: "/datasets", element: <DatasetsPage /> },
          { path: "/datasets/:datasetId", element: <DatasetDetailPage /> },
          { path: "*", element: <p>Page not found.</p> },
        ],
      },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
