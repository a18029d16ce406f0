// The page's side of the planner: the cidrplan package runs in a module Web Worker
// (worker.js), never on the page's thread, so planning a large network does not freeze the
// page. Jobs go to the worker one at a time. Each job has a lane ("plan", "export"); a new
// job supersedes the older ones of the lanes it names: queued ones are dropped, and a
// running one is cancelled by terminating the worker and starting a fresh one. A
// superseded job resolves to null; a failed one rejects with the worker's error (a plain
// object: name, code, field, message).
export { EXPORT_FORMATS } from "./export-formats.js";

const spawnWorker = () => new Worker(new URL("./worker.js", import.meta.url), { type: "module" });

export class Engine {
  constructor(spawn = spawnWorker) {
    this.spawnFn = spawn;
    this.queue = [];
    this.current = null;
    this.nextId = 1;
    this.restarts = 0;
    this.info = null;
    this.spawn();
  }

  /** Resolves to what the worker found in the package: {version, example, formats, hasExports}. */
  start() {
    return this.ready;
  }

  spawn() {
    const worker = this.spawnFn();
    this.worker = worker;
    this.workerReady = false;
    this.ready = new Promise((resolve, reject) => {
      this.readyWaiters = { resolve, reject };
    });
    this.ready.catch(() => {}); // start() hands the failure to whoever waits for it
    worker.onmessage = (ev) => this.onMessage(worker, ev.data);
    worker.onerror = (ev) => {
      ev.preventDefault?.();
      this.onCrash(worker, ev.message || "the planner's worker failed to load");
    };
    worker.onmessageerror = () => this.onCrash(worker, "a message from the planner's worker could not be read");
  }

  /**
   * Runs job `type` in the worker; resolves to its result, or to null when superseded.
   * `cancel`: a running job this one supersedes is cancelled (the worker restarted) rather
   * than left to finish unheard.
   */
  run(type, payload, { lane = type, supersedes = [lane], cancel = true } = {}) {
    for (const job of this.queue.filter((j) => supersedes.includes(j.lane))) job.resolve(null);
    this.queue = this.queue.filter((j) => !supersedes.includes(j.lane));
    const running = this.current;
    if (running && !running.superseded && supersedes.includes(running.lane)) {
      running.superseded = true;
      running.resolve(null);
      if (cancel) {
        this.current = null;
        this.restart();
      }
    }
    const id = this.nextId++;
    const promise = new Promise((resolve, reject) => this.queue.push({ id, type, payload, lane, resolve, reject }));
    promise.id = id;
    this.pump();
    return promise;
  }

  /** True while a job runs or waits. */
  get busy() {
    return this.current !== null || this.queue.length > 0;
  }

  pump() {
    if (this.current || this.queue.length === 0) return;
    const job = this.queue.shift();
    this.current = job;
    job.started = performance.now();
    try {
      this.worker.postMessage({ id: job.id, type: job.type, payload: job.payload });
    } catch (err) {
      // A payload that cannot be cloned (never from the form, but say so rather than hang).
      this.current = null;
      job.reject({ name: "DataCloneError", message: String(err?.message ?? err) });
      this.pump();
    }
  }

  restart() {
    this.worker.terminate();
    this.restarts += 1;
    this.spawn();
  }

  onMessage(worker, msg) {
    if (worker !== this.worker) return;
    if (msg?.type === "ready") {
      this.workerReady = true;
      this.info = msg.info;
      this.readyWaiters.resolve(msg.info);
      return;
    }
    if (msg?.type === "fatal") {
      this.readyWaiters.reject(msg.error);
      return;
    }
    const job = this.current;
    if (!job || job.id !== msg?.id) return; // the answer to a job that was superseded
    this.current = null;
    if (job.superseded) job.resolve(null);
    else if (msg.ok) job.resolve(msg.result);
    else job.reject(msg.error);
    this.pump();
  }

  onCrash(worker, message) {
    if (worker !== this.worker) return;
    const error = { name: "WorkerError", message };
    this.readyWaiters.reject(error);
    const job = this.current;
    this.current = null;
    job?.reject(error);
    // Start over only from a worker that had loaded: one that cannot load would fail again.
    if (this.workerReady) {
      this.restart();
      this.pump();
    } else {
      for (const j of this.queue) j.reject(error);
      this.queue = [];
    }
  }
}
