/**
 * Progress for anything that waits: a spinner with the current step on a terminal, plain
 * "… step" / "✓ step (1.2 s)" lines otherwise (CI logs, pipes).
 */

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface Progress {
  step<T>(title: string, work: () => Promise<T>): Promise<T>;
  note(line: string): void;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function progress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true && process.env.CI === undefined;
  return {
    note: (line) => void stream.write(`${line}\n`),
    step: async (title, work) => {
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      if (tty) {
        let frame = 0;
        timer = setInterval(() => {
          stream.write(
            `\r${frames[frame++ % frames.length] ?? ''} ${title} (${seconds(Date.now() - started)})\x1b[K`,
          );
        }, 100);
      } else stream.write(`… ${title}\n`);
      try {
        const result = await work();
        if (timer) clearInterval(timer);
        stream.write(
          `${tty ? '\r' : ''}✓ ${title} (${seconds(Date.now() - started)})${tty ? '\x1b[K' : ''}\n`,
        );
        return result;
      } catch (error) {
        if (timer) clearInterval(timer);
        stream.write(
          `${tty ? '\r' : ''}✗ ${title} (${seconds(Date.now() - started)})${tty ? '\x1b[K' : ''}\n`,
        );
        throw error;
      }
    },
  };
}
