// Finds a Chromium for the browser tests: CHROME_PATH, Debian's /usr/bin/chromium, or an
// installed Chrome. When none is found and we are root with apt-get, installs Debian's
// `chromium` package; otherwise says exactly what to install. Never downloads a browser
// build of its own (that fails on machines without general internet access).
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function findChromium({ install = true } = {}) {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (executable(fromEnv)) return fromEnv;
    throw new Error(`CHROME_PATH=${fromEnv} is not an executable file`);
  }
  const found = CANDIDATES.find(executable);
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (install && isRoot && hasApt) {
    console.error('No Chromium found: installing Debian\'s "chromium" package (apt-get install -y chromium)...');
    execFileSync('sh', ['-c', 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium'], { stdio: 'inherit' });
    if (executable('/usr/bin/chromium')) return '/usr/bin/chromium';
  }
  throw new Error(
    'The browser tests need Chromium and none was found.\n' +
      '  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium\n' +
      '  Fedora:         sudo dnf install chromium\n' +
      '  macOS:          install Google Chrome\n' +
      'or point CHROME_PATH at a Chromium or Chrome executable.',
  );
}
