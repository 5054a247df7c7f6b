import { z } from 'zod';

// No `new Function` probing or JIT: the server's CSP forbids 'unsafe-eval', and Chromium reports even a caught attempt.
z.config({ jitless: true });
