import 'i18next';
import type be from './be.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof be };
    returnNull: false;
  }
}
