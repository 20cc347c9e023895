/**
 * Entry of the desk process, bundled to dist/electron/desk-host.cjs and started by main with
 * utilityProcess.fork (electron/main/main.ts). Electron gives a utility process `process.parentPort` to talk to main.
 */
import { dataDirFromArgs, type HostRequest } from './protocol';
import { startDeskHost } from './host';

const parentPort = process.parentPort;
const dataDir = dataDirFromArgs(process.argv);
if (dataDir === null) {
  process.stderr.write('desk-host: started without --data DIR\n');
  process.exit(2);
}

startDeskHost(
  {
    postMessage: (message) => parentPort.postMessage(message),
    onMessage: (listener) => parentPort.on('message', (event) => listener(event.data as HostRequest)),
  },
  { dataDir, onClosed: () => process.exit(0) },
);
