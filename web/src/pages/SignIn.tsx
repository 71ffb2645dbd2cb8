import { useState, type FormEvent } from "react";
import { useLocation, useNavigate } from "react-router";
import { api } from "../api/client";
import { clearKey, setKey } from "../api/session";
import { ErrorText } from "../components/ErrorText";

/** Sign in with the root key or a team key; the key is checked against a real route before it is kept. */
export function SignIn() {
  const [key, setKeyValue] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const next = (location.state as { from?: string } | null)?.from ?? "/apps";

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post("/api/core/app/list", {}, { key: key.trim() });
      setKey(key.trim());
      navigate(next, { replace: true });
    } catch (err) {
      clearKey();
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="signin">
      <form onSubmit={submit} className="card">
        <h1>pyfastgpt</h1>
        <label>
          Root key or team API key
          <input
            name="key"
            type="password"
            autoComplete="off"
            value={key}
            onChange={(e) => setKeyValue(e.target.value)}
            placeholder="fastgpt-…"
            required
          />
        </label>
        <p className="hint">Kept in this browser tab only. `make serve` prints the root key.</p>
        <button type="submit" disabled={busy || !key.trim()}>
          Sign in
        </button>
        <ErrorText error={error} />
      </form>
    </div>
  );
}
