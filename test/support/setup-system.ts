/**
 * Before each system test file: every worker it starts loads the workflows bundled once by
 * test/global-setup.ts (EVK_WORKFLOW_BUNDLE), instead of running webpack again per file.
 */
import { inject } from 'vitest';

process.env.EVK_WORKFLOW_BUNDLE ??= inject('workflowBundlePath');
