// `node --import ./test/support/import-recorder.mjs ...`: appends the URL of every module the process
// loads through the ESM loader to the file named by SVIEDKA_IMPORT_LOG (one a line). Used to check
// what a command loads (e.g. that `sviedka --help` loads no runtime).
import { register } from 'node:module';

register('./import-recorder-hooks.mjs', import.meta.url, {
  data: { file: process.env.SVIEDKA_IMPORT_LOG },
});
