// The walkthrough page: the lesson list with progress, deep links (#lesson-id), and each task
// wired to its lesson's playground. Progress (the tasks done) is kept in localStorage.
import { TASKS } from './tasks.js';

const STORAGE_KEY = 'rate-limiting-hands-on:walkthrough';

/** The set of task ids done, as stored; a missing or unreadable store is an empty set. */
function loadProgress() {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}');
    return new Set(Array.isArray(stored.done) ? stored.done.filter((id) => id in TASKS) : []);
  } catch {
    return new Set();  // storage disabled or corrupt: start afresh rather than fail
  }
}

function saveProgress(done) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ done: [...done] }));
  } catch {
    // storage disabled (private mode, quota): progress lasts for this visit only
  }
}

const lessons = [...document.querySelectorAll('.lesson')];
const tasks = [...document.querySelectorAll('.task[data-task]')];
const done = loadProgress();
const progress = new Map();  // task id → how far the learner has got, for tasks that say so
let watching = 0;  // the generation of task watchers counting now (watchTasks), 0 before any

// ---- the lesson list ----------------------------------------------------------------------

const list = document.getElementById('lesson-list');
const navItems = new Map();
for (const lesson of lessons) {
  const title = lesson.querySelector('h2');
  const link = document.createElement('a');
  link.href = `#${lesson.id}`;
  link.textContent = title.textContent;
  const mark = document.createElement('span');
  mark.className = 'lesson-mark';
  mark.setAttribute('aria-hidden', 'true');
  const state = document.createElement('span');
  state.className = 'visually-hidden';
  link.prepend(mark);
  link.append(state);
  const item = document.createElement('li');
  item.append(link);
  list.append(item);
  navItems.set(lesson, { item, link, state });
}

// The progress line and each task's status are live regions, which speak at every write: only a
// changed text is written.
function write(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

function render() {
  for (const task of tasks) {
    const isDone = done.has(task.dataset.task);
    task.classList.toggle('done', isDone);
    write(task.querySelector('.task-status'), isDone ? 'Done ✓' : progress.get(task.dataset.task) ?? 'Not done yet');
  }
  for (const lesson of lessons) {
    const own = [...lesson.querySelectorAll('.task[data-task]')].map((t) => t.dataset.task);
    const complete = own.length > 0 && own.every((id) => done.has(id));
    const { item, state } = navItems.get(lesson);
    item.classList.toggle('done', complete);
    state.textContent = complete ? ' (done)' : '';
  }
  const count = tasks.filter((t) => done.has(t.dataset.task)).length;
  write(document.getElementById('progress-text'), `${count} of ${tasks.length} tasks done`);
  document.getElementById('progress-fill').style.width = `${(100 * count) / tasks.length}%`;
}

/** Shows how far the learner has got with a task not done yet ("2 of 3 admitted so far"). */
function report(id, text) {
  if (done.has(id) || progress.get(id) === text) return;
  progress.set(id, text);
  render();
}

function complete(id) {
  if (done.has(id)) return;
  done.add(id);
  saveProgress(done);
  render();
  toast(id);
}

// A task is often done with its status line scrolled away (on a phone, a screen or two above the
// timeline): a note at the foot of the window says so, and leads on once the lesson is complete.
// Its words are the status line's, which screen readers hear already: the note is for the eye.
const toastBox = document.getElementById('task-toast');
let toastTimer = 0;
for (const id of ['task-toast-next', 'task-toast-close']) {
  document.getElementById(id).addEventListener('click', () => { toastBox.hidden = true; });
}
/** Hides the note after a while, but not from under the pointer or the keyboard. */
function hideToastLater() {
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    if (toastBox.matches(':hover, :focus-within')) hideToastLater();
    else toastBox.hidden = true;
  }, 8000);
}
function toast(id) {
  const task = tasks.find((t) => t.dataset.task === id);
  const status = task.querySelector('.task-status').getBoundingClientRect();
  if (status.top >= 0 && status.bottom <= innerHeight) return;  // the reader sees "Done ✓" where it is
  const lesson = task.closest('.lesson');
  const count = tasks.filter((t) => done.has(t.dataset.task)).length;
  document.getElementById('task-toast-text').textContent =
    `✓ ${lesson.querySelector('.lesson-kicker').textContent}: task done (${count} of ${tasks.length})`;
  const next = lessons[lessons.indexOf(lesson) + 1];
  const lessonDone = [...lesson.querySelectorAll('.task[data-task]')].every((t) => done.has(t.dataset.task));
  const link = document.getElementById('task-toast-next');
  link.hidden = !(next && lessonDone);
  if (next) {
    link.href = `#${next.id}`;
    link.textContent = `Next: ${next.querySelector('.lesson-kicker').textContent} →`;
  }
  toastBox.hidden = false;
  hideToastLater();
}

document.getElementById('reset-progress').addEventListener('click', () => {
  done.clear();
  progress.clear();  // the tasks say again how far the learner gets, from their next decisions
  saveProgress(done);
  render();
  if (watching) watchTasks();  // (before the playgrounds are defined, there are none yet)
});

// ---- the current lesson in the list, and deep links ----------------------------------------

function markCurrent(lesson) {
  for (const [l, { link }] of navItems) {
    if (l === lesson) link.setAttribute('aria-current', 'location');
    else link.removeAttribute('aria-current');
  }
}

// The lessons crossing a band near the top of the viewport. Entries report only changes, so the
// set is kept across callbacks: the current lesson is the first one in the band.
const inBand = new Set();
const observer = new IntersectionObserver((entries) => {
  for (const e of entries) {
    if (e.isIntersecting) inBand.add(e.target);
    else inBand.delete(e.target);
  }
  const first = lessons.find((l) => inBand.has(l));
  if (first) markCurrent(first);
  // Back above the first lesson (the page's introduction), the first lesson is the one to come.
  else if (lessons[0].getBoundingClientRect().top > 0) markCurrent(lessons[0]);
}, { rootMargin: '-20% 0px -70% 0px' });
lessons.forEach((lesson) => observer.observe(lesson));

/** Brings the lesson named by the URL's hash into view and moves keyboard focus to its title. */
function followHash() {
  const lesson = lessons.find((l) => `#${l.id}` === location.hash);
  if (!lesson) return;
  lesson.scrollIntoView();
  lesson.querySelector('h2').focus({ preventScroll: true });
  markCurrent(lesson);
}
window.addEventListener('hashchange', followHash);

// ---- skipping a playground ------------------------------------------------------------------

// Each playground holds a few dozen tab stops: a link before it (shown when it has the keyboard)
// goes past it, to what follows it in the lesson, or to the next lesson's title.
for (const playground of document.querySelectorAll('.lesson rate-limit-playground')) {
  const next = playground.nextElementSibling ?? playground.closest('.lesson').nextElementSibling?.querySelector('h2');
  if (!next) continue;
  if (!next.hasAttribute('tabindex')) next.tabIndex = -1;
  const skip = document.createElement('a');
  skip.className = 'visually-hidden skip-link';
  skip.href = '#';
  skip.textContent = `Skip past the playground of ${playground.closest('.lesson').querySelector('.lesson-kicker').textContent}`;
  skip.addEventListener('click', (e) => {
    e.preventDefault();  // the URL keeps naming the lesson
    next.focus();
  });
  playground.before(skip);
}

// ---- tasks -------------------------------------------------------------------------------

render();
// Each task's watcher keeps what it has seen (a burst under one algorithm, a streak of 429s).
// Reset progress starts new watchers, and the old ones, still listening, no longer count.
function watchTasks() {
  const generation = ++watching;
  for (const task of tasks) {
    const id = task.dataset.task;
    const element = task.closest('.lesson').querySelector(`.task[data-task="${id}"] ~ rate-limit-playground`);
    TASKS[id](element, () => { if (generation === watching) complete(id); },
      (text) => { if (generation === watching) report(id, text); });
  }
}

customElements.whenDefined('rate-limit-playground').then(() => {
  watchTasks();
  // The playgrounds above a deep-linked lesson change height as they render (ready, then their
  // first frame): scroll again once they have.
  const afterFrame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  Promise.all([...document.querySelectorAll('rate-limit-playground')].map((p) => p.ready)).then(afterFrame).then(followHash);
});
followHash();
