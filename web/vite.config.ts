/**
 * The cardholder portal: built from web/ into web/dist, which the API server serves at `/`.
 * In development (`npm run dev:web`) Vite proxies the API to a server on 127.0.0.1:8080.
 */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // bench/bundle-size.mjs reads the manifest to find what the first screen loads.
    manifest: true,
    target: "es2022",
    chunkSizeWarningLimit: 800,
  },
  server: {
    host: "127.0.0.1",
    port: 5173,
    proxy: { "/api": "http://127.0.0.1:8080" },
  },
});
