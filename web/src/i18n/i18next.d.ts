import 'i18next';
import type { Translation } from './translation.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: Translation };
    returnNull: false;
  }
}
