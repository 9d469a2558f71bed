// Draws the page after the first IPC answer, as Mailwright draws its first screen after
// session_open answers.
const answer = await window.__TAURI_INTERNALS__.invoke("hello");
document.body.innerHTML = `<h1 id="ready">${answer}</h1>`;
