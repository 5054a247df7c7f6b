import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// What only the API explorer uses (GraphiQL, Monaco and their dependencies) stays out of the vendor
// chunk, so that it is loaded with the explorer's lazy chunk only (graphql too: the explorer uses much more of it
// than the app, and Rolldown splits what both use into a shared chunk of its own).
const explorerOnly =
  /node_modules[\\/](graphql|graphiql|@graphiql|monaco-editor|monaco-graphql|graphql-language-service|@floating-ui|@headlessui|@internationalized|@radix-ui|@react-aria|@react-types|@tanstack|framer-motion|motion-dom|motion-utils|markdown-it|linkify-it|mdurl|uc\.micro|punycode\.js|prettier|zustand|react-aria|react-stately|react-remove-scroll|react-remove-scroll-bar|react-style-singleton|use-callback-ref|use-sidecar|aria-hidden|get-nonce|detect-node-es|tabbable|jsonc-parser|vscode-languageserver-types|nullthrows|debounce-promise|set-value|get-value|is-plain-object|is-primitive|isobject|picomatch-browser|@n1ru4l|@repeaterjs|react-compiler-runtime|@swc[\\/]helpers)[\\/]/;

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts or module preload polyfill: index.html stays CSP-clean.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        advancedChunks: {
          groups: [
            { name: 'mui', test: /node_modules[\\/]@(mui|emotion)/ },
            { name: 'vendor', test: (id: string) => /node_modules/.test(id) && !explorerOnly.test(id) },
          ],
        },
      },
    },
  },
  server: {
    // ws: subscriptions go over a websocket on the same path.
    proxy: { '/graphql': { target: 'http://127.0.0.1:8080', ws: true } },
  },
});
