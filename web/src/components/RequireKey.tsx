import { Navigate, Outlet, useLocation } from "react-router";
import { getKey } from "../api/session";

export function RequireKey() {
  const location = useLocation();
  if (!getKey()) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <Outlet />;
}
