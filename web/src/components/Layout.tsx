import { NavLink, Outlet, useNavigate } from "react-router";
import { clearKey } from "../api/session";

export function Layout() {
  const navigate = useNavigate();
  return (
    <div className="layout">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">pyfastgpt</div>
        <NavLink to="/apps">Apps</NavLink>
        <NavLink to="/datasets">Knowledge bases</NavLink>
        <button
          type="button"
          className="link"
          onClick={() => {
            clearKey();
            navigate("/login");
          }}
        >
          Sign out
        </button>
      </nav>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
