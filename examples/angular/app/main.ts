// The page's entry point, zoneless: signals tell Angular what to redraw. Angular compiles the
// components in the browser (JIT, hence the compiler import), so the demo needs no Angular CLI;
// an app built with the CLI bootstraps the same component.
import '@angular/compiler';
import { provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { ChatPage } from './ChatPage';

bootstrapApplication(ChatPage, { providers: [provideZonelessChangeDetection()] }).catch((error: unknown) => console.error(error));
