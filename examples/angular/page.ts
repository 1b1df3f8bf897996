/** The HTML page that loads `script` (one of the bundle's): the app's root element and its styles. */
export const page = (script: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rxllm chat (Angular)</title>
<link rel="icon" href="data:,">
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1d232b; }
  chat-app { display: block; max-width: 760px; margin: 0 auto; padding: 16px; }
  header { display: flex; justify-content: space-between; align-items: center; }
  .status { font-size: 13px; padding: 2px 8px; border-radius: 10px; background: #e3e7ee; }
  .status[data-status="streaming"], .status[data-status="submitted"] { background: #d8ecff; }
  .status[data-status="error"] { background: #ffdede; }
  .message { margin: 12px 0; padding: 10px 14px; border-radius: 8px; background: #fff; box-shadow: 0 1px 2px #0001; }
  .message[data-role="user"] { background: #eaf2ff; }
  .message .stopped { font-size: 12px; color: #a15c00; }
  .reasoning { font-size: 13px; color: #5b6472; border-left: 3px solid #d5dae2; padding-left: 8px; white-space: pre-wrap; }
  .tool-call { font: 13px ui-monospace, monospace; background: #f2f4f7; padding: 6px 8px; border-radius: 6px; margin: 6px 0; }
  .approval { background: #fff7e0; padding: 8px; border-radius: 6px; margin: 8px 0; }
  .approval button { margin-left: 6px; }
  blockquote { margin: 8px 0; padding-left: 12px; border-left: 3px solid #d5dae2; color: #3d4552; }
  .usage { font-size: 12px; color: #5b6472; }
  .error { color: #a00; }
  form { display: flex; gap: 8px; margin-top: 12px; }
  form input { flex: 1; padding: 8px; font: inherit; }
  table { border-collapse: collapse; } td, th { border: 1px solid #d5dae2; padding: 2px 8px; }
  pre { background: #f2f4f7; padding: 8px; overflow-x: auto; }
</style>
</head>
<body>
<chat-app></chat-app>
<script type="module" src="/${script}"></script>
</body>
</html>
`;
