/* The search starts when the reader opens it.
 *
 * material's page script starts its search worker as soon as a page loads, and asks for the
 * search index at once (trmgen/web/compat.py, "search-starts-on-load"). This script, loaded
 * before it, holds both back until the reader opens the search (the search toggle, the
 * field, or a link with ?q=), and starts trmgen's worker (worker.js beside this script) in
 * place of material's. Before that, a page fetches nothing for search.
 */
(function () {
  "use strict";

  var WORKER = new URL("worker.js", document.currentScript.src).href;
  var THEIRS = /\/workers\/search\.[^/]*\.js(\?.*)?$/;
  var INDEX = /\/search\/search_index\.json(\?.*)?$/;
  var Started = window.Worker;
  var opened = false;
  var waiting = [];

  function whenOpen(run) {
    if (opened) { run(); } else { waiting.push(run); }
  }

  function open() {
    if (opened) { return; }
    opened = true;
    waiting.splice(0).forEach(function (run) { run(); });
  }

  document.addEventListener("change", function (event) {
    if (event.target.id === "__search" && event.target.checked) { open(); }
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.closest && event.target.closest("form[name=search]")) { open(); }
  });
  if (new URLSearchParams(location.search).has("q")) { open(); }

  /* The site's address, from the theme's settings: the worker loads the index from there. */
  function base() {
    var settings = JSON.parse(document.getElementById("__config").textContent);
    return new URL(settings.base, location.href).href;
  }

  /* The search worker: messages wait until the reader opens the search. */
  class Waiting extends EventTarget {
    constructor() {
      super();
      this.queue = [];
      this.worker = null;
      whenOpen(this.start.bind(this));
    }

    start() {
      var self = this;
      var worker = this.worker = new Started(WORKER);
      worker.addEventListener("message", function (event) {
        self.dispatchEvent(new MessageEvent("message", { data: event.data }));
      });
      worker.addEventListener("error", function (event) {
        self.dispatchEvent(new ErrorEvent("error", { message: event.message }));
      });
      this.queue.splice(0).forEach(function (message) { worker.postMessage(message); });
    }

    postMessage(message) {
      if (message && message.type === 0) {  // SETUP: tell the worker where the site is
        message = { type: 0, data: Object.assign({}, message.data, { base: base() }) };
      }
      if (this.worker) { this.worker.postMessage(message); } else { this.queue.push(message); }
    }

    terminate() {
      if (this.worker) { this.worker.terminate(); }
    }
  }

  window.Worker = function (url, options) {
    return THEIRS.test(String(url)) ? new Waiting() : new Started(url, options);
  };

  var open_ = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.trmgenSearch = INDEX.test(String(url));
    return open_.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var args = arguments;
    if (!request.trmgenSearch) { return send.apply(request, args); }
    whenOpen(function () { send.apply(request, args); });
  };
}());
