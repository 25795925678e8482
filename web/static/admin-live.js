// The live view of a focus-group session (/admin/sessions/CODE/live) updates
// its results in place every few seconds, keeping focus and scroll where they
// are. Its button pauses and resumes the updates (WCAG 2.2.1, timing
// adjustable). Without a script, a <noscript> meta refresh reloads the page.
(() => {
  const root = document.getElementById('live-results');
  const toggle = document.getElementById('live-toggle');
  if (!root || !toggle) return;
  const seconds = Number(root.dataset.refresh) || 10;
  let paused = false;
  toggle.hidden = false;
  toggle.addEventListener('click', () => {
    paused = !paused;
    toggle.textContent = paused ? toggle.dataset.resume : toggle.dataset.pause;
  });

  // update replaces the count's text (its live region stays, so screen
  // readers hear the change) and the questions with the server's.
  async function update() {
    const res = await fetch(location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
    if (!res.ok) return;
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    const count = doc.querySelector('#live-results .live-count');
    const questions = doc.getElementById('live-questions');
    if (!count || !questions) return; // signed out meanwhile: keep what is shown
    const here = root.querySelector('.live-count');
    if (here.textContent !== count.textContent) here.textContent = count.textContent;
    document.getElementById('live-questions').replaceWith(document.adoptNode(questions));
  }

  async function tick() {
    if (!paused && document.visibilityState === 'visible') {
      try {
        await update();
      } catch {
        // The network dropped for a moment: try again next time.
      }
    }
    setTimeout(tick, seconds * 1000);
  }
  setTimeout(tick, seconds * 1000);
})();
