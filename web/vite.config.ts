import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The build lands inside the Python package, so `pyfastgpt serve` (and a wheel) ships the console.
export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    // CONSOLE_OUT_DIR: build elsewhere (the browser tests of parallel runs), as PYFASTGPT_CONSOLE_DIR serves it.
    outDir: process.env.CONSOLE_OUT_DIR ?? "../src/pyfastgpt/console_static",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:3000", "/healthz": "http://127.0.0.1:3000" },
  },
});
