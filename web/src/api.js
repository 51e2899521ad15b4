// The API client: bearer token from the login, problem documents as errors,
// jobs submitted and polled until they finish. Same origin only.
const KEY = 'endstate.token';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export function token() { return sessionStorage.getItem(KEY); }
export function setToken(t) {
  if (t) sessionStorage.setItem(KEY, t); else sessionStorage.removeItem(KEY);
}

export function url(path, query) {
  const u = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, String(v));
  }
  return u.pathname + u.search;
}

/** Calls the API; JSON (or text) on success, ApiError with the problem otherwise. */
export async function api(path, { method = 'GET', query, body, text } = {}) {
  const headers = {};
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  } else if (text !== undefined) {
    headers['Content-Type'] = 'application/yaml';
    payload = text;
  }
  const res = await fetch(url(path, query), { method, headers, body: payload });
  const type = res.headers.get('Content-Type') || '';
  if (!res.ok) {
    let problem = null;
    try { problem = await res.json(); } catch { problem = null; }
    if (res.status === 401 && path !== '/api/login') {
      setToken(null);
      window.dispatchEvent(new CustomEvent('endstate:logout'));
    }
    throw new ApiError(res.status, problem);
  }
  if (res.status === 204) return null;
  if (type.includes('json')) return res.json();
  return res.text();
}

/** Submits a job, polls it (onProgress(job)) and returns its result document. */
export async function runJob(path, params, onProgress, isCancelled) {
  let job = await api(path, { method: 'POST', body: params });
  while (job.state === 'queued' || job.state === 'running') {
    if (onProgress) onProgress(job);
    await new Promise((r) => setTimeout(r, 400));
    if (isCancelled && isCancelled()) {
      job = await api(`/api/jobs/${job.id}`, { method: 'DELETE' });
    }
    job = await api(`/api/jobs/${job.id}`);
  }
  if (onProgress) onProgress(job);
  if (job.state !== 'done') throw new ApiError(job.problem ? job.problem.status : 500, job.problem);
  return { job, result: await api(job.result) };
}

/** The latest finished job of an operation (anyone's), or null. */
export async function latestJob(operation) {
  const list = await api('/api/jobs', { query: { operation, state: 'done', limit: 1 } });
  return list.jobs.length ? list.jobs[0] : null;
}

/** The latest finished job of an operation with a JSON result, and that document; null when there is none. */
export async function latestResult(operation) {
  const job = await latestJob(operation);
  if (!job || !job.content_type || !job.content_type.startsWith('application/json')) return null;
  return { job, result: await api(job.result) };
}
