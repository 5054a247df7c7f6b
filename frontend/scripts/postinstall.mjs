// npm packages may ship .go files; a go.mod at the top of node_modules makes
// `go vet ./...` and `go build ./...` in the parent module skip the folder.
import { existsSync, writeFileSync } from 'node:fs';

if (existsSync('node_modules')) {
  writeFileSync('node_modules/go.mod', 'module ignore\n');
}
