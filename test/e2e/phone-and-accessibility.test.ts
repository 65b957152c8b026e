// Readable on a phone and usable without a mouse or sight: every Portcullis page (login, login
// with an error, consent, logout confirmation, error page) measured in Chromium with DOM queries.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { launchBrowser, signIn } from '../helpers/browser.ts';
import { API, SPA_REDIRECT, startPortcullis, type RunningPortcullis } from '../helpers/portcullis.ts';

const PASSWORD = 'correct horse battery';
/** An iPhone SE/8-sized screen: the smallest phone still commonly in use. */
const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESKTOP = { viewport: { width: 1280, height: 800 } };
/** Touch targets: WCAG 2.5.5 and Apple's HIG ask for 44 CSS px; one px of slack for rounding. */
const MIN_TARGET_PX = 43.5;
/** Body text below 14 CSS px is hard to read on a phone without zooming. */
const MIN_FONT_PX = 14;

let op: RunningPortcullis;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [op, browser] = await Promise.all([startPortcullis({ redisUrl: inject('redisUrl') }), launchBrowser()]);
  await op.accounts.create({ username: 'alice', password: PASSWORD, name: 'Alice Liddell', email: 'alice@example.com' });
});

afterAll(async () => {
  await browser?.close();
  await op?.close();
});

afterEach(async () => {
  await context?.close();
});

function authorizationUrl(): string {
  const url = new URL('/auth', op.issuer);
  url.search = new URLSearchParams({
    client_id: 'spa',
    response_type: 'code',
    redirect_uri: SPA_REDIRECT,
    // Every scope the test clients know, so the consent page is as long as it gets.
    scope: 'openid profile email offline_access orders:read orders:write',
    resource: API,
    // Never exchanged: these pages only need a syntactically valid S256 challenge.
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    state: 'phone-test',
    prompt: 'consent',
  }).toString();
  return url.href;
}

/** Visits each page kind in turn, calling `check` on each with its name. */
async function everyPage(check: (name: string) => Promise<void>): Promise<void> {
  await page.goto(authorizationUrl());
  await page.getByLabel('Username').waitFor();
  await check('login');
  await signIn(page, 'alice', 'not the password');
  await page.getByRole('alert').waitFor();
  await check('login with error');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
  await check('consent');
  await page.goto(new URL('/session/end?client_id=spa', op.issuer).href);
  await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
  await check('logout confirmation');
  await page.goto(new URL('/interaction/no-such-interaction', op.issuer).href);
  await check('error page');
}

interface Layout {
  viewportWidth: number;
  scrollWidth: number;
  /** Visible elements sticking out of the viewport left or right. */
  outside: string[];
  /** Inputs and buttons shorter than the minimum target. */
  targets: { element: string; height: number }[];
  /** Elements with their own text and a computed font size. */
  fonts: { element: string; size: number }[];
}

function measureLayout(p: Page): Promise<Layout> {
  return p.evaluate(() => {
    const describe = (element: Element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.className ? `.${String(element.className).split(' ').join('.')}` : ''} "${(element.textContent ?? '').trim().slice(0, 30)}"`;
    const visible = [...document.body.querySelectorAll('*')].filter((element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== 'hidden';
    });
    return {
      viewportWidth: window.innerWidth,
      scrollWidth: document.documentElement.scrollWidth,
      outside: visible.filter((element) => {
        const box = element.getBoundingClientRect();
        return box.left < 0 || box.right > window.innerWidth;
      }).map(describe),
      targets: visible.filter((element) => element.matches('input, button, a.button')).map((element) => ({ element: describe(element), height: element.getBoundingClientRect().height })),
      fonts: visible
        .filter((element) => [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() !== ''))
        .map((element) => ({ element: describe(element), size: parseFloat(getComputedStyle(element).fontSize) })),
    };
  });
}

interface Semantics {
  lang: string;
  title: string;
  h1: number;
  main: number;
  /** Visible form controls without a non-empty label. */
  unlabelled: string[];
  /** Buttons and links without an accessible name. */
  nameless: string[];
  /** Focusable elements a keyboard user reaches with Tab. */
  focusable: number;
}

function semantics(p: Page): Promise<Semantics> {
  return p.evaluate(() => {
    const nameOf = (element: Element) => (element.getAttribute('aria-label') ?? element.textContent ?? '').trim();
    const controls = [...document.querySelectorAll('input:not([type=hidden]), select, textarea')] as HTMLInputElement[];
    return {
      lang: document.documentElement.lang,
      title: document.title,
      h1: document.querySelectorAll('h1').length,
      main: document.querySelectorAll('main').length,
      unlabelled: controls.filter((control) => ![...(control.labels ?? [])].some((label) => label.textContent?.trim())).map((control) => control.name),
      nameless: [...document.querySelectorAll('button, a')].filter((element) => nameOf(element) === '').map((element) => element.outerHTML),
      focusable: document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea').length,
    };
  });
}

/** The focused element's focus indicator, as the keyboard user sees it. */
function focusRing(p: Page): Promise<{ element: string; focusVisible: boolean; outline: string; outlineWidth: number } | undefined> {
  return p.evaluate(() => {
    const active = document.activeElement;
    if (!active || active === document.body) return undefined;
    const style = getComputedStyle(active);
    return {
      element: `${active.tagName.toLowerCase()} "${(active.textContent ?? '').trim() || (active as HTMLInputElement).name}"`,
      focusVisible: active.matches(':focus-visible'),
      outline: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth),
    };
  });
}

describe('on a 375×667 phone', () => {
  beforeEach(async () => {
    context = await browser.newContext(PHONE);
    page = await context.newPage();
  });

  it('every page fits the width, has finger-sized controls and readable text', async () => {
    const visited: string[] = [];
    await everyPage(async (name) => {
      visited.push(name);
      const layout = await measureLayout(page);
      // A phone browser zooms out (widening the layout viewport) when content does not fit.
      expect(layout.viewportWidth, `${name}: zoomed out to fit wide content`).toBe(PHONE.viewport.width);
      expect(layout.scrollWidth, `${name}: horizontal scroll`).toBeLessThanOrEqual(layout.viewportWidth);
      expect(layout.outside, `${name}: elements outside the screen`).toEqual([]);
      expect(layout.targets.filter((target) => target.height < MIN_TARGET_PX), `${name}: small touch targets`).toEqual([]);
      expect(layout.fonts.length, name).toBeGreaterThan(0);
      expect(layout.fonts.filter((font) => font.size < MIN_FONT_PX), `${name}: small text`).toEqual([]);
    });
    expect(visited).toHaveLength(5);
  });
});

describe('accessibility basics', () => {
  beforeEach(async () => {
    context = await browser.newContext(DESKTOP);
    page = await context.newPage();
  });

  it('every page has a language, a title, one h1 in a main landmark, labelled inputs and named buttons', async () => {
    await everyPage(async (name) => {
      const facts = await semantics(page);
      expect(facts.lang, name).toBe('en');
      expect(facts.title, name).toMatch(/ · Portcullis$/);
      expect(facts.h1, name).toBe(1);
      expect(facts.main, name).toBe(1);
      expect(facts.unlabelled, name).toEqual([]);
      expect(facts.nameless, name).toEqual([]);
    });
  });

  it('every control on every page shows a visible focus ring when reached with Tab', async () => {
    await everyPage(async (name) => {
      const { focusable } = await semantics(page);
      const reached = new Set<string>();
      // Twice round the page: wherever autofocus started, every control comes up at least once
      // (Tab also visits the browser's own UI once per round, where nothing in the page is focused).
      for (let i = 0; i < 2 * (focusable + 1); i += 1) {
        await page.keyboard.press('Tab');
        const ring = await focusRing(page);
        if (!ring) continue;
        reached.add(ring.element);
        expect(ring.focusVisible, `${name}: ${ring.element}`).toBe(true);
        expect(ring.outline, `${name}: ${ring.element}`).not.toBe('none');
        expect(ring.outlineWidth, `${name}: ${ring.element}`).toBeGreaterThanOrEqual(2);
      }
      expect(reached.size, `${name}: reached ${[...reached].join(', ')}`).toBe(focusable);
    });
  });
});
