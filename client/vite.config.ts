/**
 * Builds the PWA into client/dist (served by the server, see
 * server/http/static-client.ts) and runs the dev server with hot reload,
 * proxying /api to a running Talemo (TALEMO_URL, default
 * http://127.0.0.1:3000).
 */
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const root = import.meta.dirname;
const api = process.env.TALEMO_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  publicDir: path.join(root, 'public'),
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    // PGlite's wasm and data files are large on purpose; the budget that
    // matters is the JS the app itself ships (bench/client-bundle-size.ts).
    chunkSizeWarningLimit: 1024,
    reportCompressedSize: false,
  },
  worker: { format: 'es' },
  // PGlite loads its wasm and data through import.meta.url; pre-bundling would break those paths.
  optimizeDeps: { exclude: ['@electric-sql/pglite', '@electric-sql/pglite-sync'] },
  server: {
    fs: { allow: [path.resolve(root, '..')] },
    proxy: {
      '/api': {
        target: api,
        changeOrigin: true,
        // The server refuses cookie-authenticated writes from another origin (CSRF);
        // in development the page's origin is Vite's, so present the server's own.
        configure: (proxy) => proxy.on('proxyReq', (req) => req.setHeader('origin', new URL(api).origin)),
      },
    },
  },
  plugins: [
    react(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/pwa',
      filename: 'service-worker.ts',
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'Talemo — family audio stories',
        short_name: 'Talemo',
        description: 'Stories your family writes, narrated and illustrated, ready to play offline.',
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        background_color: '#FFF8EE',
        theme_color: '#E8643A',
        categories: ['kids', 'education', 'books'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        // The app shell, its chunks, icons, and PGlite's wasm and data files.
        globPatterns: ['**/*.{js,css,html,png,svg,woff2,wasm,data,webmanifest}'],
        maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
});
