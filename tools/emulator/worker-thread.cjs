// Worker entry for startEmulatorWorker (tools/emulator/worker.ts). Plain CommonJS so that Node can start it whoever
// the parent is (tsx, jest with @swc/jest, plain node); it registers tsx unless .ts files are already loadable.
'use strict';
if (!require.extensions['.ts']) require('tsx/cjs/api').register();
require('./worker.ts');
