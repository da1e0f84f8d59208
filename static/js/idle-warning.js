// The idle timeout (core.middleware.IdleTimeoutMiddleware): warn two minutes before the session ends, and when
// it has ended, load the page again so the server's login page replaces whatever this page shows (a survivor's
// file must not stay on a screen left open). Any request to the server, htmx's too, restarts the clock.
(function () {
  var banner = document.getElementById("idle-warning");
  if (!banner) { return; }
  var idle = parseInt(banner.dataset.idleSeconds, 10) * 1000;
  var warn = parseInt(banner.dataset.warnSeconds, 10) * 1000;
  var timers = [];
  function start() {
    timers.forEach(clearTimeout);
    banner.classList.add("d-none");
    timers = [
      setTimeout(function () { banner.classList.remove("d-none"); }, Math.max(idle - warn, 0)),
      setTimeout(function () { window.location.assign(window.location.href); }, idle + 5000)
    ];
  }
  document.body.addEventListener("htmx:afterRequest", start);
  start();
})();
