// The failure converter of every Client, Worker and workflow bundle (issue 9 item 4): failure
// messages and stack traces go into `encodedAttributes`, a payload, so the payload codec encrypts
// them too. CommonJS on purpose: the SDK loads it with require() (worker, client) and bundles it
// into the workflow sandbox (bundleWorkflowCode's failureConverterPath), under tsx and vitest alike.
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded by require() and by the bundler, so CommonJS
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
