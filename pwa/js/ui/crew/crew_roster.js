/** The crew roster as the screens read it: the project's workers on site, grouped by team. */
import { loadViews } from '../../sync/local_view.js';

/** Workers of `projectId` on the roster (`active` not false), by team then name. */
export async function loadRoster(projectId) {
  const workers = (await loadViews('worker')).filter((worker) => !projectId || worker.fields.project_id === projectId);
  const byName = (a, b) => String(a.fields.name ?? '').localeCompare(String(b.fields.name ?? ''), 'zh-CN');
  return {
    onSite: workers.filter((worker) => worker.fields.active !== false).sort(byName),
    offSite: workers.filter((worker) => worker.fields.active === false).sort(byName),
  };
}

/** `[[team, workers], …]`, teams in name order, workers without a team last. */
export function byTeam(workers) {
  const teams = new Map();
  for (const worker of workers) {
    const team = worker.fields.team?.trim() || '';
    if (!teams.has(team)) teams.set(team, []);
    teams.get(team).push(worker);
  }
  return [...teams].sort(([a], [b]) => (a === '') - (b === '') || a.localeCompare(b, 'zh-CN'));
}
