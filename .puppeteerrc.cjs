// Puppeteer must never download a browser: we print with the system Chromium (see platform/chromium.ts).
module.exports = { skipDownload: true };
