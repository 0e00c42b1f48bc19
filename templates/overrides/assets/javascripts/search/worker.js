/* trmgen's search worker, in place of material's: it answers material's page script in the
 * same messages (trmgen/web/compat.py, "search-messages"), from the index that the build
 * split into small files (trmgen/web/search_shards.py says what each holds). It loads the
 * list of pages when the reader opens the search, then only the files of the words typed and
 * of the pages shown. It runs as a worker from a server, and in the theme's frame from
 * file:// (the offline copies), where importScripts returns a promise.
 *
 * The ranking is lunr.js's, as material set it up: BM25 without length normalisation, every
 * word typed matching the words it begins (a single letter: only itself), each field and
 * page weighed as the index says; then material's own: a page above its sections, and
 * entries that hold more of the words typed above those that hold fewer.
 */
"use strict";

var loaded = {};
self.trmgenSearch = function (name, data) { loaded[name] = data; };

var SETUP = 0;
var READY = 1;
var QUERY = 2;
var RESULT = 3;
var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
var FIELD_BITS = 2;   /* as search_shards.FIELD_BITS and COUNT_BITS */
var COUNT_BITS = 2;
var SHOWN = 10;       /* pages whose sections and summaries are loaded for a result */

var index = null;     /* the settings, the pages, and for each entry its page */
var chain = Promise.resolve();

/* The file that holds a part of the index: a shard's (t/KEY) is listed in the settings. */
function fileOf(name) {
  return name.lastIndexOf("t/", 0) === 0 ? "t/" + index.shards[name.slice(2)] : name;
}

function load(names) {
  var files = [];
  names.forEach(function (name) {
    var file = fileOf(name);
    if (!(name in loaded) && files.indexOf(file) < 0) { files.push(file); }
  });
  if (!files.length) { return Promise.resolve(); }
  var urls = files.map(function (file) {
    return index.root + file + ".js?v=" + index.version;
  });
  return Promise.resolve(importScripts.apply(self, urls));
}

/* Where the separator matches, the text is cut: fn(start, end) for each word. */
function words(text, fn) {
  var separator = index.separator;
  var start = 0;
  var match;
  separator.lastIndex = 0;
  while ((match = separator.exec(text)) !== null) {
    if (start < match.index) { fn(start, match.index); }
    start = match.index + match[0].length;
    if (match[0].length === 0) { separator.lastIndex = match.index + 1; }
  }
  if (start < text.length) { fn(start, text.length); }
}

function setup(data) {
  var config = data.config;
  var fields = Object.keys(config.fields);
  index = {
    root: new URL("search/", data.base).href,
    version: config.trmgen.version,
    total: config.trmgen.docs,
    shards: config.trmgen.shards,
    separator: new RegExp(config.separator, "g"),
    fields: fields,
    boosts: fields.map(function (name) { return config.fields[name].boost || 1; })
  };
  return load(["pages"]).then(function () {
    var pages = loaded.pages;
    index.pages = pages;
    index.page = new Int32Array(index.total);
    pages.forEach(function (page, number) {
      var end = number + 1 < pages.length ? pages[number + 1][3] : index.total;
      for (var entry = page[3]; entry < end; entry++) { index.page[entry] = number; }
    });
    return { type: READY };
  });
}

/* What the reader typed, as clauses: words in quotation marks, or marked +, are required;
 * words marked - must not be there. */
function clauses(query) {
  var found = [];
  query.trim().split(/"([^"]+)"/g).forEach(function (part, quoted) {
    part.split(/\s+/).forEach(function (word) {
      var mark = quoted & 1 ? "+" : (word.charAt(0) === "+" || word.charAt(0) === "-"
        ? word.charAt(0) : "");
      word = word.replace(/^[+-]+/, "").replace(/[*~^:]/g, "");
      words(word, function (start, end) {
        found.push({ term: word.slice(start, end).toLowerCase(), presence: mark });
      });
    });
  });
  return found;
}

/* A word typed finds the words it begins; a single letter, only itself (every word that
 * begins with a letter would be a long wait for nothing useful, and the next key comes). */
function finds(term, word) {
  return Array.from(term).length > 1 ? word.lastIndexOf(term, 0) === 0 : word === term;
}

function shardsOf(term) {
  var key = Array.from(term).slice(0, 2).map(function (letter) {
    return letter.codePointAt(0).toString(16);
  }).join("-");
  return Object.prototype.hasOwnProperty.call(index.shards, key) ? [key] : [];
}

/* The words of a file of the index, each with its postings: [word, digits]. */
function wordsIn(name) {
  var key = "w/" + name;
  if (!loaded[key]) {
    var flat = loaded["t/" + name];
    var found = [];
    var word = "";
    for (var i = 0; i < flat.length; i += 3) {
      word = word.slice(0, flat[i]) + flat[i + 1];
      found.push([word, flat[i + 2]]);
    }
    loaded[key] = found;
  }
  return loaded[key];
}

var VALUE = {};
DIGITS.split("").forEach(function (digit, value) { VALUE[digit] = value; });

/* fn(entry, field, count) for each posting of the digits (search_shards.postings). */
function postings(digits, fn) {
  var entry = 0;
  var field = 0;
  var waiting = false;
  var value = 0;
  var shift = 0;
  for (var i = 0; i < digits.length; i++) {
    var digit = VALUE[digits.charAt(i)];
    value |= (digit & 31) << shift;
    if (digit & 32) { shift += 5; continue; }
    if (waiting) {
      fn(entry, field, value);
      waiting = false;
    } else {
      var count = value & ((1 << COUNT_BITS) - 1);
      field = (value >>> COUNT_BITS) & ((1 << FIELD_BITS) - 1);
      entry += value >>> (COUNT_BITS + FIELD_BITS);
      if (count) { fn(entry, field, count); } else { waiting = true; }
    }
    value = 0;
    shift = 0;
  }
}

function rank(list) {
  var scores = new Map();   /* entry -> score */
  var found = new Map();    /* entry -> the clauses it holds */
  var dots = index.fields.map(function () { return new Map(); });
  var norms = index.fields.map(function () { return 0; });
  var matched = new Set();
  list.forEach(function (clause, number) {
    shardsOf(clause.term).forEach(function (name) {
      wordsIn(name).forEach(function (item) {
        if (!finds(clause.term, item[0])) { return; }
        matched.add(item[0]);
        var held = [];
        postings(item[1], function (entry, field, count) { held.push([entry, field, count]); });
        new Set(held.map(function (one) { return one[1]; })).forEach(function (field) {
          norms[field] += 1;
        });
        var idf = Math.log(1 + Math.abs((index.total - held.length + 0.5) /
                                        (held.length + 0.5)));
        held.forEach(function (one) {
          var entry = one[0], field = one[1], count = one[2];
          var page = index.pages[index.page[entry]];
          var score = idf * 2.2 * count / (1.2 + count) * index.boosts[field] * page[2];
          score = Math.round(score * 1000) / 1000;
          dots[field].set(entry, (dots[field].get(entry) || 0) + score);
          if (!found.has(entry)) { found.set(entry, new Set()); }
          found.get(entry).add(number);
        });
      });
    });
  });
  dots.forEach(function (dot, field) {
    var norm = Math.sqrt(norms[field]) || 1;
    dot.forEach(function (score, entry) {
      scores.set(entry, (scores.get(entry) || 0) + score / norm);
    });
  });
  var asked = list.filter(function (clause) { return clause.presence !== "-"; });
  var results = [];
  found.forEach(function (held, entry) {
    var keep = list.every(function (clause, number) {
      return clause.presence === "+" ? held.has(number)
        : clause.presence === "-" ? !held.has(number) : true;
    });
    if (!keep || !asked.length) { return; }
    var terms = {};
    var share = 0;
    list.forEach(function (clause, number) {
      if (clause.presence === "-") { return; }
      terms[clause.term] = held.has(number);
      share += held.has(number) ? 1 : 0;
    });
    var page = index.pages[index.page[entry]];
    var boost = (entry === page[3] ? 1 : 0) + share / asked.length;
    results.push({ entry: entry, score: scores.get(entry) * (1 + boost * boost), terms: terms });
  });
  results.sort(function (a, b) { return b.score - a.score; });
  return { results: results, matched: matched,
           typed: asked.map(function (clause) { return clause.term; }) };
}

/* The blocks of an entry's HTML, as material's worker reads them: each element at the top
 * level, and the text between them. */
function blocks(html) {
  var found = [];
  var depth = 0;
  var start = 0;
  var at = 0;
  html.replace(/<[^>]*>/g, function (tag, offset) {
    if (depth === 0 && offset > at) { found.push(html.slice(at, offset)); at = offset; }
    if (tag.charAt(1) === "/") {
      if (--depth === 0) { found.push(html.slice(start, offset + tag.length)); at = offset + tag.length; }
    } else if (tag.charAt(tag.length - 2) !== "/") {
      if (depth++ === 0) { start = offset; }
    }
    return tag;
  });
  if (at < html.length && depth === 0) { found.push(html.slice(at)); }
  if (depth !== 0) { found.push(html.slice(start)); }
  return found;
}

/* The words of `html` that were matched (`found`: the words, and what the reader typed), in
 * <mark>; with `summary`, only the first two blocks that hold one (the whole text when none
 * does). */
function highlight(html, found, summary) {
  var matched = found.matched;
  var marked = 0;
  function mark(part) {
    return part.split(/(<[^>]*>)/).map(function (piece) {
      if (piece.charAt(0) === "<") { return piece; }
      var lower = piece.toLowerCase();  /* no word begins with what was typed: as it is */
      if (!found.typed.some(function (term) { return lower.indexOf(term) >= 0; })) {
        return piece;
      }
      var out = "";
      var last = 0;
      words(piece, function (start, end) {
        var word = piece.slice(start, end);
        if (word.charAt(0) !== "&" && matched.has(word.toLowerCase())) {
          out += piece.slice(last, start) + "<mark>" + word + "</mark>";
          last = end;
          marked++;
        }
      });
      return out + piece.slice(last);
    }).join("");
  }
  if (!summary) { return mark(html); }
  var shown = [];
  blocks(html).some(function (block) {
    var before = marked;
    var done = mark(block);
    if (marked > before) { shown.push(done); }
    return shown.length === 2;
  });
  return shown.length ? shown.join("") : html;
}

function search(query) {
  var list = clauses(query);
  if (!list.length) { return Promise.resolve({ items: [] }); }
  var names = [];
  list.forEach(function (clause) {
    shardsOf(clause.term).forEach(function (name) { names.push("t/" + name); });
  });
  return load(names).then(function () {
    var ranked = rank(list);
    var groups = new Map();
    ranked.results.forEach(function (result) {
      var page = index.page[result.entry];
      if (!groups.has(page)) { groups.set(page, []); }
      groups.get(page).push(result);
    });
    var order = Array.from(groups.keys());
    var shown = order.slice(0, SHOWN);
    return load(shown.map(function (page) { return "p/" + page; })).then(function () {
      var items = order.map(function (page, place) {
        var info = index.pages[page];
        var results = groups.get(page);
        if (!results.some(function (result) { return result.entry === info[3]; })) {
          results.push({ entry: info[3], score: 0, terms: {} });
        }
        if (place >= SHOWN) {  /* beyond the first pages: the page's title alone */
          var best = results[0];
          return [{ location: info[0], title: highlight(info[1], ranked, false),
                    text: "", score: best.score, terms: best.terms }];
        }
        var entries = loaded["p/" + page];
        return results.map(function (result) {
          var entry = entries[result.entry - info[3]];
          return {
            location: info[0] + entry[0],
            title: highlight(entry[1], ranked, false),
            text: highlight(entry[2], ranked, true),
            score: result.score,
            terms: result.terms
          };
        });
      });
      return { items: items };
    });
  });
}

/* Messages are answered in order. A query that a newer one has replaced before its turn
 * came is not answered: the reader sees the results of what they typed last sooner. */
var latest = 0;

function turn() {  /* after the messages that have arrived already */
  return new Promise(function (resolve) { setTimeout(resolve, 0); });
}

addEventListener("message", function (event) {
  var message = event.data;
  var number = message.type === QUERY ? ++latest : latest;
  chain = chain.then(turn).then(function () {
    if (message.type === SETUP) { return setup(message.data); }
    if (message.type === QUERY) {
      if (number !== latest) { return null; }
      return search(message.data).then(function (data) { return { type: RESULT, data: data }; });
    }
    throw new TypeError("a message the search worker does not know: " + message.type);
  }).then(function (reply) {
    if (reply) { postMessage(reply); }
  }, function (error) {
    console.warn("search:", error);
    if (message.type === QUERY) { postMessage({ type: RESULT, data: { items: [] } }); }
  });
});
