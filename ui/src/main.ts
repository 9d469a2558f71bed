// The first screen: the session is asked for before anything is drawn, and the page marks
// when its script started and when the session was shown (`cargo xtask first-screen` with
// FIRST_SCREEN_DETAIL=1 prints them).
performance.mark("mw:script");
import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { wizard } from "./lib/wizard.svelte";

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");

// Which system's fonts to name (app.css): macOS and Windows name theirs; elsewhere the generic
// names are the desktop's own.
const agent = navigator.userAgent;
const os = /Macintosh|Mac OS X/.test(agent) ? "mac" : /Windows/.test(agent) ? "windows" : null;
if (os) document.documentElement.dataset.os = os;

// Ask for the session before drawing anything: the backend reads the project while the
// sidebar is drawn, and the first step appears as soon as it answers.
void wizard.load().then(() => performance.mark("mw:answer"));
export default mount(App, { target });
