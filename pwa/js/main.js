/** Entry point of the page: starts the app shell. */
import { App } from './ui/app.js';

new App(document.body).start();
