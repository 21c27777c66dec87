import { execFile } from 'node:child_process';

/** Bound on one lspci run: a 10,000-device file takes a few seconds on a slow machine. */
const LSPCI_TIMEOUT_MS = 120_000;
const LSPCI_MAX_OUTPUT = 512 << 20;

/** Whether `lspci` can be run (pciutils installed). */
export async function lspciAvailable(binary = 'lspci'): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(binary, ['--version'], { timeout: 10_000 }, (error) => resolve(!error));
  });
}

/** `lspci -F FILE -vvv`, its stdout. Rejects when lspci fails or runs past the time limit. */
export function runLspciVerbose(file: string, binary = 'lspci'): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, ['-F', file, '-vvv'], { timeout: LSPCI_TIMEOUT_MS, maxBuffer: LSPCI_MAX_OUTPUT, encoding: 'latin1' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`lspci -F ${file} -vvv failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
