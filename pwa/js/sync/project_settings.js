/** Project settings (feedback response hours), cached in `meta` so intake works offline. */
import { loadKeptAnswer } from './kept_answer.js';

/** The server's defaults (server/projects/setup.py), for a phone that never fetched the settings. */
export const DEFAULT_RESPONSE_HOURS = {
  noise: 24, dust: 24, traffic: 4, access: 4, damage: 48, safety: 2, other: 72,
};

/**
 * `{feedback_response_hours}` of a project. The cached copy answers at once (a slow network
 * must not slow down an intake) while one refresh per page load runs (`loadKeptAnswer`); with no
 * cached copy the refresh is awaited, and the server's defaults stand in when that fails too.
 */
export async function loadProjectSettings(api, projectId) {
  const settings = (await loadKeptAnswer(`settings:${projectId}`,
    () => api.get(`/api/projects/${encodeURIComponent(projectId)}/settings`))) ?? {};
  return { ...settings, feedback_response_hours: { ...DEFAULT_RESPONSE_HOURS, ...settings.feedback_response_hours } };
}

/** When a complaint of `category` logged at `now` must be answered: ISO 8601 UTC without milliseconds. */
export function responseDue(settings, category, now = new Date()) {
  const hours = Number(settings.feedback_response_hours?.[category] ?? DEFAULT_RESPONSE_HOURS[category] ?? 24);
  return new Date(now.getTime() + hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
