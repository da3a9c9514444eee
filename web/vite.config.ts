import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// Preact through the bundler's own JSX transform: no framework plugin (and no Babel) needed.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // `npx vite --config web/vite.config.ts` next to `tamis serve` (port 8080) for live editing.
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The app runs under script-src 'self': no inline preload polyfill.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
