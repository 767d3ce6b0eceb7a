/**
 * The server's log: one JSON line per answered request (pino), with credentials redacted, written
 * to standard output in blocks rather than line by line.
 *
 * pino's default destination hands every line to its own asynchronous write: a trip through
 * libuv's thread pool per line. Measured on the status read (2 cores, 32 connections, answers
 * remembered, alternating servers in one run): 89 µs of server CPU per request with a line each
 * written that way, 59–65 µs with the lines gathered into 4 KB blocks, 44–55 µs with no line at
 * all; writing each block synchronously rather than through the thread pool took a further
 * ≈ 5–7 µs off in two runs on a busy machine. So lines are gathered (`ZHUXIAO_LOG_BUFFER_KB`, 0:
 * each line as it comes) and written when a block is full, at the latest a second after they were
 * logged, when the server closes, and when the process exits (also after an uncaught exception).
 * What a `kill -9` or a power cut takes is at most that last second.
 */
import { type FastifyReply, type FastifyRequest, LogController } from "fastify";
import pino from "pino";

export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

/** At the latest this long after a line is logged, it is written. */
export const LOG_FLUSH_MS = 1000;

const REMOTE_ADDRESS = Symbol("remote address");

/**
 * One log line per request, written when it is answered, with what the "incoming request" line
 * used to carry (method, URL, address): half of Fastify's two lines, and everything in one place.
 */
export class OneLinePerRequest extends LogController {
  /** The client's address is noted on arrival: once the answer is out, the socket may be gone. */
  override incomingRequest(req: FastifyRequest): void {
    (req as { [REMOTE_ADDRESS]?: string })[REMOTE_ADDRESS] = req.ip;
  }

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    // Flat keys: under `req` and `res` pino's request serializers would rebuild them.
    const line = {
      method: req.method,
      url: req.url,
      remoteAddress: (req as { [REMOTE_ADDRESS]?: string })[REMOTE_ADDRESS],
      statusCode: reply.statusCode,
      responseTime: reply.elapsedTime,
    };
    if (error) reply.log.error({ ...line, err: error }, "request errored");
    else reply.log.info(line, "request completed");
  }
}

type SonicBoom = ReturnType<typeof pino.destination>;

/**
 * Lines gathered into blocks in front of sonic-boom, which writes each block with one write call.
 * sonic-boom can gather too (`minLength`), but it measures its pending block's byte length on
 * every line, which copies the whole block each time: ≈ 4.8 KB allocated per 300-byte line at a
 * 4 KB block. Here a line costs its slot in an array, and a block is joined once. Once closed,
 * each line is written as it comes (the last words of a shutdown are not held back).
 */
class GatheredLines {
  readonly #out: SonicBoom;
  readonly #blockChars: number;
  #lines: string[] = [];
  #chars = 0;
  #closed = false;

  constructor(out: SonicBoom, blockChars: number) {
    this.#out = out;
    this.#blockChars = blockChars;
  }

  /** pino's destination interface: one serialised line, newline included. */
  write(line: string): boolean {
    if (this.#closed) {
      this.#out.write(line);
      return true;
    }
    this.#lines.push(line);
    this.#chars += line.length;
    if (this.#chars >= this.#blockChars) this.flush();
    return true;
  }

  /** Writes what is gathered, as one block. */
  flush(): void {
    if (this.#chars === 0) return;
    const block = this.#lines.join("");
    this.#lines = [];
    this.#chars = 0;
    this.#out.write(block);
  }

  /** Writes everything now: the server closes or the process exits. */
  flushSync(): void {
    this.flush();
    this.#out.flushSync();
  }

  /** Writes what is gathered, and every later line at once. */
  close(): void {
    this.flushSync();
    this.#closed = true;
  }
}

/** Gatherers still open: written out when the process exits (an uncaught exception included). */
const open = new Set<GatheredLines>();
let exitHook = false;

export interface LogDestination {
  stream: pino.DestinationStream;
  /** Writes what is gathered now, synchronously, and stops the timer (the server is closing). */
  close(): void;
}

/** Standard output's file descriptor: where the lines go unless a file is named. */
export const LOG_STDOUT = 1;

/**
 * Where the server's lines go: `dest` (a file descriptor or a file's path), gathered into blocks
 * of `bufferBytes` (0: each line written as it comes, pino's default) and written at least every
 * `LOG_FLUSH_MS`.
 */
export function logDestination(dest: number | string, bufferBytes: number): LogDestination {
  if (bufferBytes <= 0) {
    // pino's default for standard output: each line handed to an asynchronous write.
    return {
      stream: pino.destination({ dest, sync: false, mkdir: typeof dest === "string" }),
      close: () => {},
    };
  }
  // A block is written at once, without the thread pool (pino.destination's own default): one
  // write call per block. A reader of standard output that stops reading makes the server wait,
  // rather than gather ever more lines in memory.
  const out = pino.destination({ dest, sync: true, mkdir: typeof dest === "string" });
  const lines = new GatheredLines(out, bufferBytes);
  open.add(lines);
  if (!exitHook) {
    exitHook = true;
    process.on("exit", () => {
      for (const l of open) l.flushSync();
    });
  }
  const timer = setInterval(() => lines.flush(), LOG_FLUSH_MS);
  timer.unref();
  return {
    stream: lines,
    close() {
      clearInterval(timer);
      open.delete(lines);
      lines.close();
    },
  };
}
