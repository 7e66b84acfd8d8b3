/** Registers /sw.js and reports a new version waiting to take over. */

const UPDATE_CHECK_MS = 60 * 60_000;

/** `onUpdateReady(worker)` is called with an installed worker waiting behind the current one. */
export async function registerServiceWorker(onUpdateReady) {
  if (!('serviceWorker' in navigator)) return;
  const wasControlled = Boolean(navigator.serviceWorker.controller);
  const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' });

  // A worker that installs while another controls the page waits, so the page in use keeps its
  // code; the user decides when to reload. (With no controller it is the first install.)
  const reportIfWaiting = () => {
    if (registration.waiting && navigator.serviceWorker.controller) onUpdateReady(registration.waiting);
  };
  reportIfWaiting();
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed') reportIfWaiting();
    });
  });

  // The new worker took over after "reload" was pressed (here or in another tab): load its shell.
  // A first install also changes the controller (clients.claim), but the page already runs that
  // code: `wasControlled` tells the two apart.
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (reloading || !wasControlled) return;
    reloading = true;
    location.reload();
  });

  setInterval(() => registration.update().catch(() => {}), UPDATE_CHECK_MS);
}
