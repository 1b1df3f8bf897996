// The same page with zone.js change detection (`/?zone`), for apps that still load zone.js:
// injectChat's signals work under both.
import 'zone.js';
import '@angular/compiler';
import { provideZoneChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { ChatPage } from './ChatPage';

bootstrapApplication(ChatPage, { providers: [provideZoneChangeDetection({ eventCoalescing: true })] }).catch((error: unknown) => console.error(error));
