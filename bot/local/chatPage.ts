// The local browser chat: a persona picker and Microsoft's Web Chat (served from node_modules,
// no CDN) talking to the bot through the local Direct Line endpoint. The upload button sends a
// file as Web Chat does over Direct Line (an admin imports a transcript CSV that way).
import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Request, Response, Server } from 'restify';
import { PERSONAS } from '../../services/demo/personas';
import { personaAccount } from './personaAccounts';

const WEBCHAT_BUNDLE = join(dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js');

export function mountChatPage(server: Server): void {
  server.get('/', async (_req: Request, res: Response) => {
    const body = chatPageHtml();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    res.end(body);
  });
  // Browsers ask for it; an empty answer keeps the console clean.
  server.get('/favicon.ico', async (_req: Request, res: Response) => { res.send(204); });
  server.get('/webchat/webchat.js', async (_req: Request, res: Response) => {
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=3600' });
    createReadStream(WEBCHAT_BUNDLE).pipe(res);
  });
}

export function chatPageHtml(): string {
  const personas = PERSONAS.map((p) => ({ key: p.key, name: p.name, email: p.email, blurb: p.blurb, userId: personaAccount(p).id }));
  // JSON inside a <script>: "<" is escaped so no value can close the tag.
  const data = JSON.stringify(personas).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MPN Association Bot (local)</title>
<style>
  body { margin: 0; font-family: "Segoe UI", system-ui, sans-serif; display: flex; height: 100vh; background: #f5f5f5; }
  nav { width: 280px; padding: 16px; background: #464775; color: #fff; overflow-y: auto; }
  nav h1 { font-size: 18px; margin: 0 0 8px; }
  nav p { font-size: 13px; opacity: .85; }
  nav a { display: block; padding: 10px 12px; margin: 6px 0; border-radius: 6px; color: #fff; text-decoration: none; background: rgba(255,255,255,.08); }
  nav a.current { background: #fff; color: #464775; }
  nav a small { display: block; opacity: .8; font-size: 12px; }
  main { flex: 1; display: flex; flex-direction: column; }
  main header { padding: 12px 16px; background: #fff; border-bottom: 1px solid #ddd; font-size: 14px; }
  #webchat { flex: 1; min-height: 0; background: #fff; }
  #pick { margin: auto; max-width: 420px; text-align: center; color: #444; }
</style>
</head>
<body>
<nav>
  <h1>MPN Association Bot</h1>
  <p>Local mode: each persona talks to the bot as a Teams user of the demo organisation <b>Contoso Demo Ltd</b> (Partner ID 1234567). Open two tabs as two personas to see each other's effects.</p>
  <div id="personas"></div>
</nav>
<main>
  <header id="who">Pick a persona on the left.</header>
  <div id="webchat"><div id="pick">Pick a persona to start chatting.</div></div>
</main>
<script>window.PERSONAS = ${data};</script>
<script src="/webchat/webchat.js"></script>
<script>
(function () {
  var params = new URLSearchParams(location.search);
  var current = window.PERSONAS.find(function (p) { return p.key === params.get('as'); });
  var list = document.getElementById('personas');
  window.PERSONAS.forEach(function (p) {
    var a = document.createElement('a');
    a.href = '?as=' + encodeURIComponent(p.key);
    a.className = current && current.key === p.key ? 'current' : '';
    a.textContent = p.name;
    var small = document.createElement('small');
    small.textContent = p.email + ': ' + p.blurb;
    a.appendChild(small);
    list.appendChild(a);
  });
  if (!current) return;
  document.getElementById('who').textContent = 'Chatting as ' + current.name + ' <' + current.email + '>';
  document.title = current.name + ' - MPN Association Bot (local)';

  // Web Chat renders Action.Execute but cannot send it; turn it into a Submit that carries the
  // verb, which the local Direct Line endpoint sends to the bot as Teams would: an invoke.
  function executeAsSubmit(node, activityId) {
    if (Array.isArray(node)) return node.map(function (n) { return executeAsSubmit(n, activityId); });
    if (!node || typeof node !== 'object') return node;
    var out = {};
    Object.keys(node).forEach(function (k) { out[k] = executeAsSubmit(node[k], activityId); });
    if (node.type === 'Action.Execute') {
      delete out.verb; delete out.fallback;
      out.type = 'Action.Submit';
      out.data = { __execute: { verb: node.verb, data: node.data || {}, activityId: activityId } };
    }
    return out;
  }
  // One converted card per card received (Web Chat hands over fresh copies as it re-renders): a
  // new object each time would make it rebuild the card and wipe what the user is typing.
  var converted = new Map();
  var attachmentMiddleware = function () { return function (next) { return function (card) {
    var att = card.attachment;
    if (att && att.contentType === 'application/vnd.microsoft.card.adaptive' && att.content) {
      var key = card.activity.id + ' ' + JSON.stringify(att.content);
      if (!converted.has(key)) converted.set(key, executeAsSubmit(att.content, card.activity.id));
      card = Object.assign({}, card, { attachment: Object.assign({}, att, { content: converted.get(key) }) });
    }
    return next(card);
  }; }; };

  fetch('/v3/directline/tokens/generate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: { id: current.userId } }) })
    .then(function (r) { if (!r.ok) throw new Error('token ' + r.status); return r.json(); })
    .then(function (session) {
      document.getElementById('webchat').innerHTML = '';
      // Exposed for the browser tests, which read what Web Chat holds.
      window.webChatStore = window.WebChat.createStore();
      window.WebChat.renderWebChat({
        store: window.webChatStore,
        directLine: window.WebChat.createDirectLine({ token: session.token, domain: location.origin + '/v3/directline', webSocket: false, pollingInterval: 500 }),
        userID: current.userId,
        username: current.name,
        locale: 'en-GB',
        attachmentMiddleware: attachmentMiddleware,
        styleOptions: { botAvatarInitials: 'MPN', userAvatarInitials: current.name.split(' ').map(function (w) { return w[0]; }).join('').slice(0, 2), uploadAccept: '.csv,text/csv', uploadMultiple: false }
      }, document.getElementById('webchat'));
    })
    .catch(function (e) { document.getElementById('webchat').textContent = 'Could not start the chat: ' + e.message; });
})();
</script>
</body>
</html>
`;
}
