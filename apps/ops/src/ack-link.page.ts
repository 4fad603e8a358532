/** The small page an acknowledge link shows: what happened, in words, and where to go next. */
export interface AckPage {
  status: number;
  code: string;
  title: string;
  message: string;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderAckPage(page: AckPage, dashboardUrl: string, confirm = false): string {
  const ok = page.status < 300;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(page.title)} · Replywatch</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2433; }
  main { max-width: 32rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px;
         border-top: 6px solid ${ok ? '#1b7f3b' : '#b42318'}; }
  h1 { font-size: 1.4rem; margin-top: 0; }
  a { color: #1849a9; }
  code { color: #555; }
  button { font: inherit; padding: 0.6rem 1.4rem; background: #1849a9; color: #fff; border: 0;
           border-radius: 6px; cursor: pointer; }
</style>
</head>
<body>
<main role="main">
  <h1>${escapeHtml(page.title)}</h1>
  <p>${escapeHtml(page.message)}</p>
  ${confirm ? '<form method="post"><button type="submit">Acknowledge</button></form>' : ''}
  <p><a href="${escapeHtml(dashboardUrl)}">Open the Replywatch dashboard</a></p>
  <p><code>${escapeHtml(page.code)}</code></p>
</main>
</body>
</html>
`;
}
