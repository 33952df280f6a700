// Browser test: a social worker signs in, finds a child, opens the record; a front-door worker
// adds a child with mistakes and sees the GOV.UK error summary; an analyst is refused. Every page
// is checked with axe-core against WCAG 2.2 AA and saved as a screenshot.
//
// Usage: node run.mjs <path to hearth binary>
// Screenshots go to ../../target/screenshots/.

import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const binary = process.argv[2] ?? join(here, '../../target/debug/hearth');
const shots = join(here, '../../target/screenshots');
mkdirSync(shots, { recursive: true });

const PASSWORD = 'hearth-demo-2026';
const port = 18000 + Math.floor(Math.random() * 2000);
const base = `http://127.0.0.1:${port}`;
const dir = mkdtempSync(join(tmpdir(), 'hearth-browser-'));

let failures = 0;
function check(ok, message) {
  if (ok) {
    console.log(`  ok: ${message}`);
  } else {
    failures++;
    console.log(`  FAIL: ${message}`);
  }
}

const server = spawn(binary, ['demo', '--children', '300', '--database', join(dir, 'demo.db'), '--listen', `127.0.0.1:${port}`], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let serverOut = '';
server.stdout.on('data', (d) => { serverOut += d; });

async function waitForServer() {
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(`${base}/health`);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`hearth demo did not start on ${base}:\n${serverOut}`);
}

async function axeCheck(page, name) {
  // Injected through the DevTools protocol, so the page keeps its strict Content-Security-Policy.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    return await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
  });
  for (const v of result.violations) {
    console.log(`    axe ${v.id} (${v.impact}): ${v.help}`);
    for (const n of v.nodes.slice(0, 3)) console.log(`      at ${n.target.join(' ')}`);
  }
  check(result.violations.length === 0, `${name}: no WCAG 2.2 AA violations (axe-core, ${result.passes.length} rules passed)`);
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function signIn(page, username) {
  await page.goto(`${base}/sign-in`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('button:has-text("Sign in")');
  await page.waitForLoadState('load');
}

// Processes started for the single sign-on pages, ended with the demo.
const extra = [];

// The sign-in page with "Sign in with <provider>", the refusal of an account with no Hearth
// role, and a signed-in home page, through a real provider (npm oidc-provider, whose own sign-in
// and consent pages are not ours and are not checked).
async function singleSignOn(browser) {
  const ssoPort = port + 2500;
  const ssoBase = `http://127.0.0.1:${ssoPort}`;
  const provider = spawn('node', [join(here, '../oidc/provider.mjs'), `${ssoBase}/sign-in/sso/callback`], { stdio: ['pipe', 'pipe', 'ignore'] });
  extra.push(provider);
  const issuer = await new Promise((resolve, reject) => {
    let out = '';
    provider.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve(JSON.parse(line).issuer);
    });
    provider.on('exit', () => reject(new Error(`the OpenID Connect provider ended: ${out}`)));
  });
  const hearth = spawn(binary, ['serve', '--database', join(dir, 'sso.db'), '--listen', `127.0.0.1:${ssoPort}`, '--insecure-cookies',
    '--oidc-issuer', issuer, '--oidc-client-id', 'hearth', '--oidc-redirect-url', `${ssoBase}/sign-in/sso/callback`,
    '--oidc-role-map', 'Hearth.TeamManager=team_manager,Hearth.SocialWorker=social_worker', '--oidc-provider-name', 'Test Council ID'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, HEARTH_OIDC_CLIENT_SECRET: 'a-synthetic-test-client-secret' },
  });
  extra.push(hearth);
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(`${ssoBase}/health`)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  async function atProvider(page, login) {
    await page.goto(`${ssoBase}/sign-in`);
    await page.click('a:has-text("Sign in with Test Council ID")');
    await page.waitForLoadState('load');
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', 'any password');
    await page.click('button:has-text("Sign-in")');
    await page.waitForLoadState('load');
    await page.click('button:has-text("Continue")');
    await page.waitForLoadState('load');
  }
  const refused = await (await browser.newContext()).newPage();
  await refused.goto(`${ssoBase}/sign-in`);
  check(await refused.locator('a:has-text("Sign in with Test Council ID")').count() === 1, 'the sign-in page offers the council\'s provider');
  check(await refused.locator('#password').count() === 1, 'and the local accounts\' form');
  await axeCheck(refused, '50-sign-in-with-sso');
  await atProvider(refused, 'pat.payroll');
  check((await refused.locator('h1').innerText()).includes('You cannot use Hearth yet'), 'an account with no Hearth role is refused');
  await axeCheck(refused, '51-sso-refused');
  const sam = await (await browser.newContext()).newPage();
  await atProvider(sam, 'sam.sso');
  check(new URL(sam.url()).origin === ssoBase && (await sam.content()).includes('sam.sso (test provider)'), 'a social worker signs in with the provider');
  await axeCheck(sam, '52-sso-signed-in');
  // A form saved after its session ended: the sign-in page carries it, and its provider button
  // (a form, whose redirect to the provider the page's Content-Security-Policy allows) keeps it.
  const late = await (await browser.newContext()).newPage();
  await late.goto(`${ssoBase}/sign-in`);
  const formPath = '/children/01890000-0000-7000-8000-000000000000/early-help';
  const posted = late.waitForURL((u) => u.pathname === formPath);
  await late.evaluate((action) => {
    const f = document.createElement('form');
    f.method = 'post';
    f.action = action;
    const i = document.createElement('input');
    i.name = 'lead';
    i.value = 'Family support worker';
    f.appendChild(i);
    document.body.appendChild(f);
    f.submit();
  }, formPath);
  await posted;
  await late.waitForLoadState('load');
  check((await late.content()).includes('what you entered has been kept'), 'the sign-in page carries a form saved after the session ended');
  await axeCheck(late, '53-sign-in-with-draft');
  await late.click('button:has-text("Sign in with Test Council ID")');
  await late.waitForLoadState('load');
  check(await late.locator('input[name="login"]').count() === 1, 'its provider button reaches the provider');
  await late.fill('input[name="login"]', 'sam.sso');
  await late.fill('input[name="password"]', 'any password');
  await late.click('button:has-text("Sign-in")');
  await late.waitForLoadState('load');
  if (await late.locator('button:has-text("Continue")').count() > 0) {
    await late.click('button:has-text("Continue")');
    await late.waitForLoadState('load');
  }
  check(new URL(late.url()).pathname === formPath, 'and comes back to the form\'s page');
}

let browser;
try {
  await waitForServer();
  console.log(`hearth demo is up at ${base}`);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ javaScriptEnabled: true, viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();

  console.log('A social worker finds a child and opens the record');
  await page.goto(`${base}/sign-in`);
  check((await page.title()).includes('Sign in'), 'sign-in page has a title');
  await axeCheck(page, '01-sign-in');
  await signIn(page, 'social.worker');
  check(page.url() === `${base}/`, 'signed in and on the start page');
  await axeCheck(page, '02-home');

  // Find a child by part of a surname that the synthetic council uses.
  await page.goto(`${base}/children`);
  await page.fill('#q', 'ar');
  await page.click('button:has-text("Search")');
  await page.waitForLoadState('load');
  const resultLinks = page.locator('table.govuk-table a.govuk-link[href^="/children/"]');
  const count = await resultLinks.count();
  check(count > 0, `search for "ar" lists children (${count})`);
  await axeCheck(page, '03-search-results');
  const name = (await resultLinks.first().innerText()).trim();
  await resultLinks.first().click();
  await page.waitForLoadState('load');
  check((await page.locator('h1').innerText()).includes(name), `the record of ${name} opens`);
  for (const heading of ['Summary', 'Identifiers', 'Family and relationships', 'Allocated worker']) {
    check(await page.locator(`h2:has-text("${heading}")`).count() === 1, `child's page has "${heading}"`);
  }
  check(await page.locator('.hearth-banner dt:has-text("Status")').count() === 1, "the child's page opens with the key information");
  check(await page.locator('nav.hearth-subnav a[aria-current="page"]:has-text("Summary and family")').count() === 1, 'the summary is the current section');
  await axeCheck(page, '04-child-record');
  await page.click('nav.hearth-subnav a:has-text("Chronology")');
  await page.waitForLoadState('load');
  check(await page.locator('h2:has-text("Chronology")').count() === 1 && await page.locator('h2:has-text("Identifiers")').count() === 0, 'the chronology is a section of its own');
  await page.check('#significant');
  await page.click('button:has-text("Apply filters")');
  await page.waitForLoadState('load');
  check(await page.locator('td:has-text("Record created")').count() === 0, 'significant events leave out the record being created');
  await axeCheck(page, '04b-chronology-significant');

  console.log('A front-door worker adds a child with mistakes, then correctly');
  const fd = await (await browser.newContext()).newPage();
  await signIn(fd, 'front.door');
  await fd.goto(`${base}/children/new`);
  await axeCheck(fd, '05-add-child');
  async function submitWithMistakes(p) {
    await p.goto(`${base}/children/new`);
    await p.fill('#family_name', 'Testington');
    await p.fill('#date_of_birth-day', '31');
    await p.fill('#date_of_birth-month', '2');
    await p.fill('#date_of_birth-year', '2021');
    await p.click('button:has-text("Add child")');
    await p.waitForLoadState('load');
  }
  await submitWithMistakes(fd);
  check(await fd.locator('.govuk-error-summary').count() === 1, 'error summary shown');
  check((await fd.title()).startsWith('Error:'), 'page title starts with "Error:"');
  check(await fd.locator('#given_name-error').count() === 1, 'first name has its error message');
  check(await fd.locator('#date_of_birth-error').count() === 1, 'date of birth has its error message');
  await axeCheck(fd, '06-add-child-errors');
  await fd.fill('#given_name', 'Tia');
  await fd.fill('#date_of_birth-day', '28');
  await fd.check('input[name="sex"] >> nth=1');
  await fd.click('button:has-text("Add child")');
  await fd.waitForLoadState('load');
  check((await fd.locator('h1').innerText()).includes('Tia Testington'), 'the new child is saved and shown');
  check(await fd.locator('.govuk-notification-banner--success').count() === 1, 'success banner shown');
  await axeCheck(fd, '07-child-added');

  console.log('A team manager allocates a worker; a worker records an address and a family member');
  const tm = await (await browser.newContext()).newPage();
  await signIn(tm, 'team.manager');
  const childUrl = fd.url().split('?')[0];
  await tm.goto(`${childUrl}/allocation`);
  await axeCheck(tm, '11-allocate');
  await tm.selectOption('#worker_id', { index: 1 });
  await tm.click('button:has-text("Allocate")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-notification-banner--success:has-text("Worker allocated")').count() === 1, 'worker allocated');
  await fd.goto(`${childUrl}/addresses`);
  await fd.fill('#line1', '7 Example Row');
  await fd.fill('#town', 'Testtown');
  await fd.fill('#postcode', 'not a postcode');
  await fd.click('button:has-text("Save address")');
  await fd.waitForLoadState('load');
  check(await fd.locator('#postcode-error').count() === 1, 'a bad postcode is refused');
  await axeCheck(fd, '12-address-errors');
  await fd.goto(`${childUrl}/family`);
  await axeCheck(fd, '13-add-family-member');

  console.log('The front door records a contact; a manager decides; an assessment starts');
  await fd.goto(childUrl);
  await fd.click('nav.hearth-subnav a:has-text("Casework")');
  await fd.waitForLoadState('load');
  await fd.click('a:has-text("Record a contact")');
  await fd.waitForLoadState('load');
  await axeCheck(fd, '14-contact-form');
  await fd.selectOption('#source', '2A');
  await fd.fill('#contact_name', 'Ms Head');
  await fd.click('button:has-text("Record contact")');
  await fd.waitForLoadState('load');
  check(await fd.locator('.govuk-error-summary a[href="#reason"]').count() === 1, 'a contact without its reason is refused');
  check(await fd.locator('#consent-error').count() === 1, 'consent must be answered');
  await axeCheck(fd, '15-contact-errors');
  await fd.fill('#reason', 'Tia arrived at school hungry three days running.');
  await fd.check('input[name="consent"] >> nth=0');
  await fd.click('button:has-text("Record contact")');
  await fd.waitForLoadState('load');
  check(await fd.locator('.govuk-notification-banner--success:has-text("Contact recorded")').count() === 1, 'contact recorded');
  const contactUrl = fd.url().split('?')[0];
  check(await fd.locator('#history + p + h3:has-text("Tia Testington")').count() === 1, "the contact shows Tia's history for screening");
  await axeCheck(fd, '16-contact');
  // Screening: a rating without its reason is refused; then amber, then red on a police check.
  await fd.check('input[name="rating"][value="amber"]');
  await fd.click('button:has-text("Save rating")');
  await fd.waitForLoadState('load');
  check(await fd.locator('.govuk-error-summary a[href="#risk_reason"]').count() === 1, 'a rating without its reason is refused');
  await axeCheck(fd, '16a-risk-rating-errors');
  await fd.fill('#risk_reason', 'Hungry three days running; school worried; no injuries seen.');
  await fd.click('button:has-text("Save rating")');
  await fd.waitForLoadState('load');
  check(await fd.locator('.govuk-notification-banner--success:has-text("Risk rating recorded")').count() === 1, 'the contact is rated amber');
  await fd.click('summary:has-text("Rate the risk again")');
  await fd.check('input[name="rating"][value="red"]');
  await fd.fill('#risk_reason', 'Police check: Tia told an officer she is hit with a belt.');
  await fd.check('#immediate_safety');
  await fd.click('button:has-text("Save rating")');
  await fd.waitForLoadState('load');
  check(await fd.locator('.govuk-notification-banner:has-text("Immediate safety")').count() === 1, 'an immediate safety concern goes straight to the decision');
  check(await fd.locator('summary:has-text("Earlier ratings (1)")').count() === 1, 'the earlier rating is kept');
  await axeCheck(fd, '16b-risk-rated-red');
  await fd.goto(`${base}/front-door`);
  check(await fd.locator('td:has-text("Tia Testington")').count() >= 1, 'the contact waits on the front-door queue');
  const tiaRow = await fd.locator('tbody tr:has-text("Tia Testington")').first().innerText();
  check(tiaRow.includes('Red') && tiaRow.includes('Immediate safety'), 'the queue shows the red rating');
  const firstAmber = await fd.locator('tbody tr').evaluateAll((rows) => rows.findIndex((r) => r.innerText.includes('Amber')));
  const tiaAt = await fd.locator('tbody tr').evaluateAll((rows) => rows.findIndex((r) => r.innerText.includes('Tia Testington')));
  check(firstAmber === -1 || tiaAt < firstAmber, 'red contacts come before amber ones in the queue');
  await axeCheck(fd, '17-front-door');
  await fd.goto(`${base}/front-door/referral-quality`);
  await axeCheck(fd, '17b-referral-quality');
  await tm.goto(contactUrl);
  check(await tm.locator('input[name="outcome"][value="strategy"]').isChecked(), 'a strategy discussion is chosen for an immediate safety concern');
  check(await tm.locator('#allocate_to optgroup option').count() > 0, 'the decision offers workers by team to allocate the child to');
  await axeCheck(tm, '17i-decision-form-with-allocation');
  await tm.check('input[name="outcome"][value="referral"]');
  await tm.fill('#direction', 'Single assessment by the assessment team.');
  await tm.fill('#rationale', 'Repeated hunger at school: possible neglect.');
  await tm.click('button:has-text("Record decision")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-notification-banner--success:has-text("Decision recorded")').count() === 1, 'decision recorded by the manager');
  await axeCheck(tm, '18-decision');
  // The referrer is told the outcome.
  await tm.fill('#note', 'A social worker will assess; the school will be kept informed.');
  await tm.check('input[name="how"][value="phone"]');
  await tm.click('button:has-text("Save feedback")');
  await tm.waitForLoadState('load');
  check(await tm.locator('#feedback ~ ul li:has-text("Told by phone")').count() === 1, 'the outcome told to the referrer is recorded');
  await axeCheck(tm, '18a-feedback-to-referrer');
  await tm.goto(`${childUrl}?section=casework`);
  await tm.click('a:has-text("Start assessment")');
  await tm.waitForLoadState('load');
  await tm.click('button:has-text("Start assessment")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-notification-banner--success:has-text("Assessment started")').count() === 1, 'assessment started');
  await axeCheck(tm, '19-assessment');
  await tm.goto(`${base}/work?scope=all`);
  check(await tm.locator('td:has-text("Tia Testington")').count() >= 1, 'the assessment is on the work due');
  await axeCheck(tm, '20-work-due');
  await tm.goto(`${childUrl}/notes?kind=visit`);
  await axeCheck(tm, '21-visit-form');

  console.log('The assessment by the framework: a draft, a return to the worker with a comment, an authorisation confirmed');
  await tm.goto(`${base}/work?scope=all&kind=assessment`);
  await tm.locator('tr:has-text("Tia Testington") a:text-is("Assessment")').first().click();
  await tm.waitForLoadState('load');
  const assessmentUrl = tm.url().split('?')[0];
  check(await tm.locator('label:has-text("Parenting capacity")').count() === 1, 'the assessment asks for each section of the framework');
  await tm.fill('#developmental_needs', 'Tia is meeting her milestones; attendance 92%.');
  await tm.fill('#child_views', 'Tia said she feels safe with her gran and misses her dad.');
  await tm.click('button:has-text("Save as draft")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-notification-banner--success:has-text("Draft saved")').count() === 1, 'the draft is saved');
  check((await tm.locator('#child_views').inputValue()).includes('misses her dad'), 'the draft is back in its form');
  await axeCheck(tm, '19a-assessment-draft');
  await tm.click('button:has-text("Complete assessment")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-error-summary a[href="#parenting_capacity"]').count() === 1, 'completing names the sections still to write');
  await axeCheck(tm, '19b-assessment-errors');
  const sections = {
    parenting_capacity: 'Gran meets Tia\'s basic care; warmth and boundaries are good.',
    family_environment: 'Settled flat near school; dad in prison until spring.',
    parents_views: 'Gran wants help with letterbox contact.',
    analysis: 'Needs are met with support: a child in need plan for contact and school.',
  };
  for (const [id, text] of Object.entries(sections)) await tm.fill(`#${id}`, text);
  await tm.fill('#summary', 'Child in need plan recommended.');
  await tm.locator('input[name="factors"]').first().check();
  await tm.check('input[name="outcome"][value="cin_plan"]');
  await tm.click('button:has-text("Complete assessment")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-notification-banner--success:has-text("Assessment completed")').count() === 1, 'assessment completed');
  await tm.click('a:has-text("Return to the worker")');
  await tm.waitForLoadState('load');
  await axeCheck(tm, '19c-return-assessment');
  await tm.fill('#comment', 'Say what the school reports about Tia\'s attendance since September.');
  await tm.click('button:has-text("Return to the worker")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-inset-text:has-text("what the school reports")').count() === 1, 'the worker sees why it came back');
  await axeCheck(tm, '19d-assessment-returned');
  await tm.fill('#developmental_needs', 'Tia is meeting her milestones; attendance 92%, 97% since September.');
  await tm.check('input[name="outcome"][value="cin_plan"]');
  await tm.click('button:has-text("Complete assessment")');
  await tm.waitForLoadState('load');
  await tm.click('button:has-text("Authorise assessment")');
  await tm.waitForLoadState('load');
  check((await tm.locator('h1').innerText()).includes('Check before you authorise'), 'authorising is checked first');
  await axeCheck(tm, '19e-authorise-confirm');
  await tm.click('button:has-text("Authorise the assessment")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-error-summary a[href="#reason"]').count() === 1, 'authorising needs the manager\'s comment');
  await tm.fill('#reason', 'Thorough; the plan follows from the analysis.');
  await tm.click('button:has-text("Authorise the assessment")');
  await tm.waitForLoadState('load');
  check(tm.url().startsWith(assessmentUrl) && await tm.locator('.govuk-notification-banner--success:has-text("Assessment authorised")').count() === 1, 'assessment authorised with a comment');

  console.log('Corrections: a visit amended with a reason, another marked entered in error');
  for (const text of ['Visit recorded on the wrong child', 'Home visit after school']) {
    await tm.goto(`${childUrl}/notes?kind=visit`);
    await tm.check('#child_seen');
    await tm.check('#seen_alone');
    await tm.fill('#childs_words', 'I like my new bedroom.');
    await tm.fill('#text', text);
    await tm.click('button:text-is("Save")');
    await tm.waitForLoadState('load');
  }
  const visitBlock = (text) => tm.locator('.hearth-record', { hasText: text });
  await visitBlock('Home visit after school').locator('a[href$="/amend"]').click();
  await tm.waitForLoadState('load');
  check((await tm.locator('#text').inputValue()) === 'Home visit after school', 'the amendment starts from the visit as recorded');
  await axeCheck(tm, '60-amend-visit-form');
  await tm.fill('#text', 'Home visit after school; Tia showed me her drawings');
  await tm.click('button:has-text("Save amendment")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-error-summary a[href="#reason"]').count() === 1, 'an amendment needs its reason');
  await axeCheck(tm, '61-amend-visit-errors');
  await tm.fill('#reason', 'Left out what Tia showed me');
  await tm.click('button:has-text("Save amendment")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-notification-banner--success:has-text("Correction saved")').count() === 1, 'amendment saved');
  await visitBlock('Visit recorded on the wrong child').locator('a[href$="/entered-in-error"]').click();
  await tm.waitForLoadState('load');
  await axeCheck(tm, '62-entered-in-error-form');
  await tm.fill('#reason', 'Recorded on Tia\'s record instead of her cousin\'s');
  await tm.click('button:has-text("Mark as entered in error")');
  await tm.waitForLoadState('load');
  check(await visitBlock('Visit recorded on the wrong child').locator('.govuk-tag:has-text("Entered in error")').count() === 1, 'the visit entered in error is tagged');
  const amended = visitBlock('Tia showed me her drawings');
  check(await amended.locator('text=Amended on').count() === 1, 'the amended visit says when, by whom and why');
  await amended.locator('summary:has-text("The version before this amendment")').click();
  check(await amended.locator('dd:has-text("Home visit after school")').count() >= 1, 'and shows the earlier version');
  await tm.locator('#visits').scrollIntoViewIfNeeded();
  await axeCheck(tm, '63-child-page-corrections');

  console.log('Casework: a strategy discussion and a child in need plan');
  await tm.goto(`${childUrl}?section=casework`);
  await tm.click('a:has-text("Record a strategy discussion")');
  await tm.waitForLoadState('load');
  await tm.click('button:has-text("Save strategy discussion")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-error-summary a[href="#s47"]').count() === 1, 'strategy discussion needs the section 47 answer');
  await axeCheck(tm, '22-strategy-errors');
  await tm.check('input[name="agencies"][value="police"]');
  await tm.check('input[name="agencies"][value="health"]');
  await tm.check('input[name="s47"][value="yes"]');
  await tm.fill('#notes', 'Threshold for section 47 met.');
  await tm.click('button:has-text("Save strategy discussion")');
  await tm.waitForLoadState('load');
  check(await tm.locator('text=Section 47 enquiry from').count() === 1, 'section 47 enquiry shown on the record');
  await axeCheck(tm, '23-child-casework');
  await tm.click('a:has-text("Start a child in need plan")');
  await tm.waitForLoadState('load');
  await tm.check('input[name="primary_need"][value="N1"]');
  await tm.click('button:has-text("Start plan")');
  await tm.waitForLoadState('load');
  await tm.fill('#need', 'Tia has enough to eat every day');
  await tm.fill('#action', 'Referral to the food bank and free school meals');
  await tm.fill('#owner', 'Social worker');
  const due = new Date(Date.now() + 14 * 86400000);
  await tm.fill('#due-day', String(due.getDate()));
  await tm.fill('#due-month', String(due.getMonth() + 1));
  await tm.fill('#due-year', String(due.getFullYear()));
  await tm.click('button:has-text("Add action")');
  await tm.waitForSelector('.govuk-notification-banner--success', { timeout: 10000 }).catch(() => {});
  check(await tm.locator('td:has-text("Referral to the food bank")').count() >= 1, 'a SMART action is on the plan');
  await axeCheck(tm, '24-cin-plan');

  console.log('Private fostering: a notification with mistakes, then properly, then a visit');
  await tm.goto(`${childUrl}?section=casework`);
  await tm.click('a:has-text("Record a private fostering notification")');
  await tm.waitForLoadState('load');
  await axeCheck(tm, '26-private-fostering-form');
  await tm.click('button:has-text("Record notification")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-error-summary a[href="#notified_by"]').count() === 1, 'a notification without who told the council is refused');
  check(await tm.locator('.govuk-error-summary a[href="#start-day"]').count() === 1, 'and without the start of the arrangement');
  await axeCheck(tm, '27-private-fostering-errors');
  await tm.check('input[name="notified_by"][value="parent"]');
  const start = new Date(Date.now() - 30 * 86400000);
  await tm.fill('#start-day', String(start.getDate()));
  await tm.fill('#start-month', String(start.getMonth() + 1));
  await tm.fill('#start-year', String(start.getFullYear()));
  await tm.check('input[name="carer_relationship"][value="family_friend"]');
  await tm.fill('#carer', 'Jo Friend, 4 Elm Road, Testtown');
  await tm.fill('#reason', 'Parent working abroad for a year');
  await tm.click('button:has-text("Record notification")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-notification-banner--success:has-text("Private fostering notification recorded")').count() === 1, 'private fostering notification recorded');
  await tm.click('a[href^="/private-fostering/"][href$="/visits"]');
  await tm.waitForLoadState('load');
  await axeCheck(tm, '28-private-fostering-visit');
  await tm.check('input[name="child_seen"][value="yes"]');
  await tm.check('input[name="seen_alone"][value="yes"]');
  await tm.fill('#childs_words', 'I like it here');
  await tm.fill('#report', 'Saw Tia and her room; talked about school and calls home.');
  await tm.click('button:has-text("Record visit")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-notification-banner--success:has-text("Private fostering visit recorded")').count() === 1, 'private fostering visit recorded');
  check(await tm.locator('td:has-text("I like it here")').count() === 1, "the child's words are on the record");
  await axeCheck(tm, '29-child-private-fostering');

  console.log('Children looked after: entering care with mistakes, then properly; an IRO opens the review form');
  await tm.goto(`${childUrl}/care/enter`);
  await tm.waitForLoadState('load');
  await axeCheck(tm, '30-enter-care-form');
  await tm.click('button:has-text("Record entering care")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-error-summary a[href="#rationale"]').count() === 1, 'entering care needs the management rationale');
  await axeCheck(tm, '31-enter-care-errors');
  const care = new Date(Date.now() - 10 * 86400000);
  await tm.fill('#started-day', String(care.getDate()));
  await tm.fill('#started-month', String(care.getMonth() + 1));
  await tm.fill('#started-year', String(care.getFullYear()));
  await tm.selectOption('#legal_status', 'V2');
  await tm.selectOption('#category_of_need', 'N1');
  await tm.selectOption('#placement', 'U6');
  await tm.selectOption('#provider', 'PR1');
  await tm.fill('#carer', 'Jo and Sam Carer');
  await tm.fill('#postcode', 'ZX71 1AB');
  await tm.fill('#urn', 'SC123456');
  await tm.check('input[name="planned"][value="no"]');
  await tm.check('input[name="previous_permanence"][value="Z1"]');
  await tm.fill('#rationale', 'No safe family option after the strategy discussion.');
  await tm.click('button:has-text("Record entering care")');
  await tm.waitForLoadState('load');
  check(await tm.locator('#placement-stability').count() === 1, 'the child is looked after: placement stability shown');
  await tm.locator('#looked-after').scrollIntoViewIfNeeded();
  await axeCheck(tm, '32-child-looked-after');
  const iro = await (await browser.newContext()).newPage();
  await signIn(iro, 'iro');
  await iro.goto(`${childUrl}/care-reviews`);
  await iro.waitForLoadState('load');
  check((await iro.locator('h1').innerText()).length > 0, 'the IRO opens the review form');
  await axeCheck(iro, '33-care-review-form');
  await tm.goto(`${childUrl}/sdq`);
  await tm.waitForLoadState('load');
  await axeCheck(tm, '34-sdq-form');
  await tm.goto(`${childUrl}/permanence`);
  await tm.waitForLoadState('load');
  await tm.click('button >> nth=-1');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-error-summary').count() === 1, 'a permanence plan needs its parts');
  await axeCheck(tm, '35-permanence-errors');
  await tm.goto(`${childUrl}/pep`);
  await tm.waitForLoadState('load');
  await axeCheck(tm, '36-pep-form');
  await tm.goto(`${childUrl}/adoption`);
  await tm.waitForLoadState('load');
  await tm.check('input[name="kind"][value="match"]');
  await tm.click('button:text-is("Save")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-error-summary a[href="#kind"]').count() === 1, 'a match needs a decision to place first');
  await axeCheck(tm, '37-adoption-errors');
  await tm.check('input[name="kind"][value="decision"]');
  await tm.fill('#on-day', String(care.getDate()));
  await tm.fill('#on-month', String(care.getMonth() + 1));
  await tm.fill('#on-year', String(care.getFullYear()));
  await tm.click('button:text-is("Save")');
  await tm.waitForLoadState('load');
  check(await tm.locator('#adoption').count() === 1, 'the decision to place for adoption is on the child\'s page');
  await tm.goto(`${childUrl}/offending-and-substance-misuse`);
  await tm.waitForLoadState('load');
  await axeCheck(tm, '38-oc2-form');
  await tm.goto(`${childUrl}?section=care`);
  await tm.waitForLoadState('load');
  check(await tm.locator('#care-return-findings').count() === 1, 'the child\'s page shows this year\'s 903 findings');
  await tm.locator('#care-return').scrollIntoViewIfNeeded();
  await axeCheck(tm, '39-child-903-findings');

  console.log('Leaving care: the personal adviser form, a pathway plan and keeping in touch with mistakes');
  await tm.goto(`${childUrl}/personal-adviser`);
  await tm.waitForLoadState('load');
  check(await tm.locator('#worker_id').count() === 1, 'the personal adviser form offers the workers');
  await axeCheck(tm, '46-personal-adviser-form');
  await tm.click('button:has-text("Allocate personal adviser")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-error-summary a[href="#worker_id"]').count() === 1, 'a personal adviser must be chosen');
  await axeCheck(tm, '47-personal-adviser-errors');
  await tm.goto(`${childUrl}/pathway-plan`);
  await tm.waitForLoadState('load');
  await axeCheck(tm, '48-pathway-plan-form');
  await tm.click('button:has-text("pathway plan"), button:has-text("Record review")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-error-summary a[href="#views"]').count() === 1, "a pathway plan needs the young person's views");
  await axeCheck(tm, '49-pathway-plan-errors');
  await tm.goto(`${childUrl}/keeping-in-touch`);
  await tm.waitForLoadState('load');
  await axeCheck(tm, '54-keeping-in-touch-form');
  await tm.click('button:has-text("Record contact")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-error-summary a[href="#in_touch"]').count() === 1, 'keeping in touch needs the in touch code');
  await axeCheck(tm, '55-keeping-in-touch-errors');

  console.log("Leaving care in the demo council: a care leaver from the work page; a change of activity and accommodation and a contact recorded through the pages");
  await tm.goto(`${base}/work?scope=all`);
  await tm.waitForLoadState('load');
  const adviserVisit = tm.locator('a:has-text("Personal adviser visit")').first();
  check(await adviserVisit.count() === 1, "a demo care leaver's adviser visit is on the service's work");
  const leaverUrl = base + (await adviserVisit.getAttribute('href')).split('#')[0];
  await tm.goto(`${leaverUrl}/leaving-care-status`);
  await tm.waitForLoadState('load');
  await axeCheck(tm, '56-leaving-care-status-form');
  await tm.click('button:has-text("Record change")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-error-summary a[href="#activity"]').count() === 1, 'a change needs an activity or an accommodation');
  await axeCheck(tm, '57-leaving-care-status-errors');
  const began = new Date(Date.now() - 3 * 86400000);
  await tm.fill('#from-day', String(began.getDate()));
  await tm.fill('#from-month', String(began.getMonth() + 1));
  await tm.fill('#from-year', String(began.getFullYear()));
  await tm.selectOption('#activity', 'F4');
  await tm.selectOption('#accommodation', 'D');
  await tm.check('input[name="suitable"][value="yes"]');
  await tm.click('button:has-text("Record change")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-notification-banner--success:has-text("Activity and accommodation recorded")').count() === 1, 'the change is recorded');
  await tm.goto(`${leaverUrl}/keeping-in-touch`);
  await tm.waitForLoadState('load');
  const met = new Date(Date.now() - 1 * 86400000);
  await tm.fill('#contact_on-day', String(met.getDate()));
  await tm.fill('#contact_on-month', String(met.getMonth() + 1));
  await tm.fill('#contact_on-year', String(met.getFullYear()));
  await tm.check('input[name="seen"][value="yes"]');
  await tm.fill('#place', 'At the apprenticeship provider');
  await tm.fill('#words', 'I started the apprenticeship last week and I love it.');
  await tm.check('input[name="in_touch"][value="YES"]');
  await tm.click('button:has-text("Record contact")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-notification-banner--success:has-text("Keeping in touch recorded")').count() === 1, 'the contact is recorded');
  check(await tm.locator('td:has-text("I started the apprenticeship last week")').count() === 1, "the young person's words are on the record");
  check(await tm.locator('td:has-text("Full-time apprenticeship")').count() >= 1, 'the apprenticeship is on the record');
  check(await tm.locator('caption:has-text("Birthdays and the SSDA903")').count() === 1, "the birthdays' 903 status is shown");
  await tm.locator('#leaving-care').scrollIntoViewIfNeeded();
  await axeCheck(tm, '58-child-leaving-care');
  const amendContact = tm.locator('a[href^="/keeping-in-touch/"][href$="/amend"]').first();
  check(await amendContact.count() === 1, 'a contact can be amended from the leaving care section');
  await tm.goto(base + await amendContact.getAttribute('href'));
  await tm.waitForLoadState('load');
  check(await tm.locator('#reason').count() === 1, 'the amendment asks for its reason');
  await axeCheck(tm, '64-keeping-in-touch-amend');
  await tm.goto(`${leaverUrl}/needs-assessment`);
  await tm.waitForLoadState('load');
  await tm.click('button:has-text("Record needs assessment")');
  await tm.waitForLoadState('load');
  check(await tm.locator('.govuk-error-summary a[href="#findings"]').count() === 1, 'a needs assessment needs its findings');
  await axeCheck(tm, '59-needs-assessment-errors');

  console.log('Without JavaScript the form and its errors work the same');
  const nojs = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signIn(nojs, 'front.door');
  await submitWithMistakes(nojs);
  check(await nojs.locator('.govuk-error-summary a[href="#given_name"]').count() === 1, 'error summary links to the field without JavaScript');

  console.log('A performance analyst is refused a record');
  const pa = await (await browser.newContext()).newPage();
  await signIn(pa, 'performance.analyst');
  const resp = await pa.goto(page.url());
  check(resp.status() === 403, `analyst gets 403 for a child's record (got ${resp.status()})`);
  check(!(await pa.content()).includes(name), 'and never sees the child');
  await axeCheck(pa, '08-forbidden');

  console.log('The analyst reads the performance report');
  await pa.goto(`${base}/report`);
  check(await pa.locator('h2:has-text("Front door")').count() === 1, 'report has its front door section');
  check(await pa.locator('svg.hearth-trend').count() > 0, 'trend charts drawn');
  await axeCheck(pa, '25-report');

  console.log('The analyst makes Ofsted\'s Annex A lists and reads their timeliness');
  await pa.goto(`${base}/inspection/annex-a`);
  check(await pa.locator('th:has-text("1. Contacts")').count() === 1, 'Annex A lists list 1');
  check(await pa.locator('th:has-text("11. Adopters")').count() === 1, 'and list 11');
  check(await pa.locator('h2:has-text("Check before sending")').count() === 1, 'the check before sending');
  await axeCheck(pa, '90-annex-a');
  await pa.goto(`${base}/inspection/timeliness`);
  check(await pa.locator('th:has-text("Assessments")').count() === 1, 'timeliness of assessments');
  check(await pa.locator('a[href^="/inspection/timeliness/"]').count() === 0, 'analysts get no drill-down');
  await axeCheck(pa, '91-annex-a-timeliness');

  console.log('A team manager writes commentary for the scrutiny pack and lists children out of time');
  const hos = await (await browser.newContext()).newPage();
  await signIn(hos, 'team.manager');
  await hos.goto(`${base}/inspection/scrutiny`);
  check(await hos.locator('h1:has-text("Scrutiny pack")').count() === 1, 'scrutiny pack page');
  await hos.fill('#text-9', 'Two teams carried vacancies; timeliness recovered by the month end.');
  await hos.click('#indicator-9 button:has-text("Save the commentary")');
  await hos.waitForLoadState('load');
  check(await hos.locator('#indicator-9 dd:has-text("timeliness recovered by the month end")').count() === 1, 'the commentary is shown');
  await axeCheck(hos, '92-scrutiny-pack');
  await hos.goto(`${base}/inspection/timeliness`);
  const drill = hos.locator('a[href^="/inspection/timeliness/"]').first();
  if (await drill.count() === 1) {
    await drill.click();
    await hos.waitForLoadState('load');
    check(await hos.locator('h1:has-text("children out of time")').count() === 1, 'children out of time listed');
    await axeCheck(hos, '93-timeliness-children');
  } else {
    check(true, 'nothing out of time to list');
  }

  console.log('The analyst checks a CIN census file');
  await pa.goto(`${base}/returns/cin`);
  await axeCheck(pa, '09-cin-upload');
  const census = `<?xml version="1.0" encoding="utf-8"?>
<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2026</Year><ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails>
<Source><SourceLevel>L</SourceLevel><LEA>999</LEA><SoftwareCode>test</SoftwareCode><Release>1</Release><SerialNo>001</SerialNo><DateTime>2026-04-01T09:00:00</DateTime></Source></Header>
<Children>
<Child><ChildIdentifiers><LAchildID>T001</LAchildID><PersonBirthDate>2019-02-03</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
<ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
<CINdetails><CINreferralDate>2025-06-02</CINreferralDate><ReferralSource>6</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA></CINdetails></Child>
<Child><ChildIdentifiers><LAchildID>T002</LAchildID><PersonBirthDate>2012-09-10</PersonBirthDate><Sex>Q</Sex></ChildIdentifiers>
<ChildCharacteristics><Ethnicity>XXXX</Ethnicity></ChildCharacteristics>
<CINdetails><CINreferralDate>2025-07-01</CINreferralDate><ReferralSource>99</ReferralSource><CINclosureDate>2025-06-01</CINclosureDate><ReferralNFA>true</ReferralNFA></CINdetails></Child>
</Children></Message>`;
  await pa.setInputFiles('#file', { name: 'census.xml', mimeType: 'text/xml', buffer: Buffer.from(census) });
  await pa.click('button:has-text("Check the file")');
  await pa.waitForLoadState('load');
  check((await pa.locator('h1').innerText()).includes('CIN census findings'), 'findings page shown');
  check(await pa.locator('td:has-text("4220")').count() >= 1, 'rule 4220 (ethnicity) listed');
  check(await pa.locator('th:has-text("T002")').count() === 1, 'findings grouped under child T002');
  await axeCheck(pa, '10-cin-findings');

  console.log('The analyst checks an SSDA903 return (its CSV files)');
  await pa.goto(`${base}/returns/903`);
  await axeCheck(pa, '22-903-upload');
  await pa.click('button:has-text("Check the files")');
  await pa.waitForLoadState('load');
  check(await pa.locator('.govuk-error-summary a[href="#files"]').count() === 1, 'no files: the error summary links to the file input');
  await axeCheck(pa, '23-903-upload-errors');
  const header = 'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nT101,F,03/02/2012,WBRI,UN2,0,\nT102,X,10/09/2014,WBRI,UN2,,\n';
  const episodes = 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n'
    + 'T101,01/06/2025,S,C2,N1,U4,PR1,,,,ZX70 2TA,ZX71 1AB,SC123456\n'
    + 'T102,01/07/2025,S,C2,N1,U4,PR1,,,,ZX70 2TB,ZX71 1AC,SC123457\n';
  await pa.setInputFiles('#files', [
    { name: 'header.csv', mimeType: 'text/csv', buffer: Buffer.from(header) },
    { name: 'episodes.csv', mimeType: 'text/csv', buffer: Buffer.from(episodes) },
  ]);
  await pa.click('button:has-text("Check the files")');
  await pa.waitForLoadState('load');
  check((await pa.locator('h1').innerText()).includes('SSDA903 return findings'), '903 findings page shown');
  check(await pa.locator('td.govuk-table__cell:text-is("101")').count() >= 1, 'rule 101 (sex) listed');
  check(await pa.locator('th:has-text("T102")').count() === 1, 'findings grouped under child T102');
  await axeCheck(pa, '24-903-findings');

  console.log('Case file audits: a programme set up with mistakes, then sampled; an audit with mistakes, then graded; themes');
  const qa = await (await browser.newContext()).newPage();
  await signIn(qa, 'auditor');
  await qa.goto(`${base}/quality/audits/new`);
  await qa.fill('#size', '');
  await qa.click('button:has-text("Continue")');
  await qa.waitForLoadState('load');
  check(await qa.locator('.govuk-error-summary a[href="#theme"]').count() === 1, 'a programme needs its theme');
  check(await qa.locator('.govuk-error-summary a[href="#period_start-day"]').count() === 1, 'and its period');
  await axeCheck(qa, '70-audit-programme-errors');
  await qa.fill('#theme', 'The voice of the child on child protection plans');
  await qa.check('input[name="scope"][value="service"]');
  const yearAgo = new Date(Date.now() - 365 * 86400000);
  const today = new Date();
  await qa.fill('#period_start-day', String(yearAgo.getDate()));
  await qa.fill('#period_start-month', String(yearAgo.getMonth() + 1));
  await qa.fill('#period_start-year', String(yearAgo.getFullYear()));
  await qa.fill('#period_end-day', String(today.getDate()));
  await qa.fill('#period_end-month', String(today.getMonth() + 1));
  await qa.fill('#period_end-year', String(today.getFullYear()));
  await qa.check('label:has-text("Aude Quality-Lead")');
  await qa.fill('#size', '5');
  await qa.click('button:has-text("Continue")');
  await qa.waitForLoadState('load');
  check(await qa.locator('.govuk-notification-banner--success').count() === 1, 'the sample is drawn');
  check(await qa.locator('a:has-text("Audit the case")').count() === 5, 'five cases, each for the auditor');
  await axeCheck(qa, '71-audit-programme');
  await qa.locator('a:has-text("Audit the case")').first().click();
  await qa.waitForLoadState('load');
  await axeCheck(qa, '72-audit-form');
  await qa.check('input[name="grade_risk"][value="good"]');
  await qa.click('button:has-text("Save the audit")');
  await qa.waitForLoadState('load');
  check(await qa.locator('.govuk-error-summary a[href="#grade_management_oversight"]').count() === 1, 'every domain needs its grade');
  check(await qa.locator('.govuk-error-summary a[href="#evidence_risk"]').count() === 1, 'and its evidence');
  await axeCheck(qa, '73-audit-form-errors');
  for (const radio of await qa.locator('input[type="radio"][value="good"]').all()) await radio.check();
  await qa.check('input[name="grade_timeliness"][value="requires_improvement"]');
  for (const box of await qa.locator('textarea[id^="evidence_"]').all()) await box.fill('Seen in the supervision and visit notes');
  await qa.fill('#worker_conversation', 'Talked the audit through with the social worker, who agreed the actions.');
  await qa.fill('#family_views', 'Mum said the worker listens and comes when she says she will.');
  await qa.click('button:has-text("Save the audit")');
  await qa.waitForLoadState('load');
  check(await qa.locator('td:has-text("Requires improvement")').count() === 1, 'the audit is saved with its grades');
  await axeCheck(qa, '74-audit');
  await qa.goto(`${base}/quality/audits/themes`);
  // The synthetic council's year of audits, and the one just recorded.
  check(await qa.locator('p.govuk-body-l:has-text("audits recorded from")').count() === 1, 'themes: the share good or better overall');
  check(await qa.locator('#from-day').count() === 1 && await qa.locator('#to-year').count() === 1, 'the period in GOV.UK date inputs');
  check(await qa.locator('h2:has-text("Recurring weaknesses")').count() === 1, 'recurring weaknesses');
  check(await qa.locator('th:has-text("SMART plans")').count() >= 1, 'SMART plans among the domains');
  check(await qa.locator('a[href^="/quality/audits/themes.xlsx"]').count() === 1, 'the workbook for an improvement board');
  await axeCheck(qa, '75-audit-themes');
  await qa.fill('#from-day', '31');
  await qa.fill('#from-month', '2');
  await qa.click('button:has-text("Show the period")');
  await qa.waitForLoadState('load');
  check(await qa.locator('.govuk-error-summary a[href="#from-day"]').count() === 1, 'a date that is not real is named');
  await axeCheck(qa, '76-audit-themes-errors');

  console.log('Case file audits: the template changed on pages; a programme of chosen cases');
  await qa.goto(`${base}/quality/audits/template`);
  check(await qa.locator('a[href="/quality/audits/template/smart_plans"]').count() === 1, 'each domain can be changed');
  await axeCheck(qa, '77-audit-template');
  await qa.goto(`${base}/quality/audits/template/new`);
  await qa.fill('#key', 'Not a key');
  await qa.click('button:has-text("Add the domain")');
  await qa.waitForLoadState('load');
  check(await qa.locator('.govuk-error-summary a[href="#key"]').count() === 1, 'a short name in lower case');
  check(await qa.locator('.govuk-error-summary a[href="#label"]').count() === 1, 'and the domain named');
  await axeCheck(qa, '78-audit-template-domain-errors');
  await qa.fill('#key', 'permanence');
  await qa.fill('#label', 'Permanence planning');
  await qa.click('button:has-text("Add the domain")');
  await qa.waitForLoadState('load');
  check(await qa.locator('th:has-text("Permanence planning")').count() === 1, 'the domain added to the template');
  await qa.goto(`${base}/quality/audits/new`);
  await qa.fill('#theme', 'Children chosen by the quality lead');
  await qa.check('input[name="scope"][value="cp_plans"]');
  await qa.fill('#period_start-day', String(yearAgo.getDate()));
  await qa.fill('#period_start-month', String(yearAgo.getMonth() + 1));
  await qa.fill('#period_start-year', String(yearAgo.getFullYear()));
  await qa.fill('#period_end-day', String(today.getDate()));
  await qa.fill('#period_end-month', String(today.getMonth() + 1));
  await qa.fill('#period_end-year', String(today.getFullYear()));
  await qa.check('label:has-text("Aude Quality-Lead")');
  await qa.check('input[name="method"][value="chosen"]');
  await qa.click('button:has-text("Continue")');
  await qa.waitForLoadState('load');
  check(await qa.locator('input[name="children"]').count() >= 1, 'the cases to choose from');
  await axeCheck(qa, '79-audit-chosen-cases');
  await qa.locator('input[name="children"]').first().check();
  await qa.click('button:has-text("Set up the audit of these cases")');
  await qa.waitForLoadState('load');
  check(await qa.locator('a:has-text("Audit the case")').count() === 1, 'the chosen case, for the auditor');

  console.log('An administrator manages accounts');
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, 'administrator');
  await admin.goto(`${base}/admin/users`);
  check(await admin.locator('td:has-text("social.worker")').count() === 1, 'accounts listed');
  await axeCheck(admin, '40-admin-users');
  await admin.click('a:has-text("Priya Analyst")');
  await admin.waitForLoadState('load');
  await admin.fill('#password', 'password12345');
  await admin.click('button:has-text("Set password")');
  await admin.waitForLoadState('load');
  check(await admin.locator('.govuk-error-summary a[href="#password"]').count() === 1, 'a common password is refused, the error linked to the field');
  await axeCheck(admin, '41-admin-user-error');
  await admin.click('button:has-text("End sessions")');
  await admin.waitForLoadState('load');
  check(await admin.locator('.govuk-notification-banner').count() === 1, 'the analyst\'s sessions ended');
  await axeCheck(admin, '42-admin-user');

  console.log('A manager reviews break-glass openings and the audit log');
  await tm.goto(`${base}/audit/break-glass`);
  check((await tm.locator('h1').innerText()).includes('Break-glass review'), 'break-glass review shown');
  await axeCheck(tm, '43-break-glass-review');
  await tm.goto(`${base}/audit`);
  await axeCheck(tm, '44-audit-log');
  await tm.goto(`${base}/children?q=a`);
  const child = (await tm.locator('table a[href^="/children/"]').first().getAttribute('href')) ?? '';
  if (/^\/children\/[0-9a-f-]{36}$/.test(child)) {
    await tm.goto(`${base}${child}/break-glass`);
    check((await tm.locator('h1').innerText()).includes('not one of your cases'), 'break-glass form shown');
    await axeCheck(tm, '45-break-glass-form');
  }

  console.log("The practitioner's day: my cases, the team's caseloads, work due filtered and paged, a record's casework");
  await page.goto(`${base}/my-cases`);
  check((await page.locator('h1').innerText()).trim() === 'My cases', 'a social worker has "My cases"');
  const myCases = page.locator('table.govuk-table tbody a.govuk-link[href^="/children/"]');
  check(await myCases.count() > 0, `the social worker's children are listed (${await myCases.count()})`);
  await axeCheck(page, '80-my-cases');
  await tm.goto(`${base}/my-cases`);
  check(await tm.locator('#caseloads tbody tr').count() > 0, "a team manager sees each worker's caseload");
  await axeCheck(tm, '81-team-cases');
  await tm.locator('#caseloads tbody a').first().click();
  await tm.waitForLoadState('load');
  check((await tm.locator('h1').innerText()).startsWith('Cases held by'), "one worker's cases from the caseloads");
  await axeCheck(tm, '82-worker-cases');
  await tm.goto(`${base}/work?scope=all`);
  const workTotal = await tm.locator('#work-count').innerText();
  check(/Showing 1 to \d+ of \d+ item/.test(workTotal), `the whole service's work due is paged: ${workTotal}`);
  await axeCheck(tm, '83-work-due-paged');
  const firstWorker = await tm.locator('#worker optgroup option').first().getAttribute('value');
  await tm.selectOption('#worker', firstWorker ?? '');
  await tm.check('#overdue');
  await tm.click('button:has-text("Apply filters")');
  await tm.waitForLoadState('load');
  check((await tm.locator('h1').innerText()).startsWith('Work due for'), "one worker's overdue work");
  check(await tm.locator('td .govuk-tag:not(:has-text("Overdue"))').count() === 0, 'only overdue items are listed');
  await axeCheck(tm, '84-work-due-one-worker-overdue');
  const caseHref = await myCases.first().getAttribute('href');
  const someone = (await myCases.first().innerText()).trim();
  await page.goto(`${base}${caseHref}`);
  await page.click('nav.hearth-subnav a:has-text("Casework")');
  await page.waitForLoadState('load');
  check(await page.locator('#quick-actions a:has-text("Record a visit")').count() === 1, 'recording a visit is the first action in casework');
  await axeCheck(page, '85-child-casework');

  // A visit dated a year ago is checked before it is saved; "Change the answers" keeps the text.
  await page.click('#quick-actions a:has-text("Record a visit")');
  await page.waitForLoadState('load');
  const lastYear = String(new Date().getFullYear() - 1);
  await page.fill('#date-year', lastYear);
  await page.check('#child_seen');
  await page.check('#seen_alone');
  await page.fill('#childs_words', 'I got a star at school.');
  await page.fill('#text', 'Visit at home after school; bedroom warm and tidy.');
  await page.click('button:text-is("Save")');
  await page.waitForLoadState('load');
  check((await page.locator('h1').innerText()).startsWith('Check the date of this visit'), 'a visit dated a year ago is checked first');
  await axeCheck(page, '86-visit-date-check');
  await page.click('button:has-text("Change the answers")');
  await page.waitForLoadState('load');
  check((await page.locator('#text').inputValue()).includes('bedroom warm and tidy'), 'changing the answers keeps what was written');
  await page.fill('#date-year', String(new Date().getFullYear()));
  await page.click('button:text-is("Save")');
  await page.waitForLoadState('load');
  check(await page.locator('.govuk-notification-banner--success').count() === 1, 'the visit is saved with the right date');

  // A visit written in two sittings: kept as a draft, the form reopened later holds it.
  await page.click('nav.hearth-subnav a:has-text("Casework")');
  await page.waitForLoadState('load');
  await page.click('#quick-actions a:has-text("Record a visit")');
  await page.waitForLoadState('load');
  await page.fill('#childs_words', 'My tooth came out.');
  await page.fill('#text', 'After-school visit, first half written in the car.');
  await page.click('button:has-text("Save as draft")');
  await page.waitForLoadState('load');
  check(await page.locator('#draft-notice:has-text("Your draft was saved")').count() === 1, 'the visit is kept as a draft, unchecked');
  check(await page.locator('.govuk-error-summary').count() === 0, 'a draft is not checked for missing answers');
  await axeCheck(page, '87-visit-draft-saved');
  await page.goto(`${base}${caseHref}`);
  await page.click('nav.hearth-subnav a:has-text("Casework")');
  await page.waitForLoadState('load');
  await page.click('#quick-actions a:has-text("Record a visit")');
  await page.waitForLoadState('load');
  check((await page.locator('#text').inputValue()).includes('first half written in the car'), 'the draft is back in the visit form');
  await axeCheck(page, '88-visit-draft-back');
  await page.check('#child_seen');
  await page.check('#seen_alone');
  await page.fill('#text', 'After-school visit: bedroom tidy; written up in full.');
  await page.click('button:text-is("Save")');
  await page.waitForLoadState('load');
  check(await page.locator('.govuk-notification-banner--success').count() === 1, 'the drafted visit is saved');
  await page.click('nav.hearth-subnav a:has-text("Casework")');
  await page.waitForLoadState('load');
  await page.click('#quick-actions a:has-text("Record a visit")');
  await page.waitForLoadState('load');
  check((await page.locator('#text').inputValue()) === '', 'once saved, the draft is gone');

  console.log('Journeys, timed (actions = clicks, fills and choices after the first page)');
  const journey = async (name, steps) => {
    const started = Date.now();
    const actions = await steps();
    console.log(`  journey: ${name}: ${actions} actions, ${((Date.now() - started) / 1000).toFixed(2)} s`);
  };
  const [given, ...rest] = someone.split(' ');
  const family = rest.join(' ');
  const vowel = [...family].findIndex((c, i) => i > 0 && 'aeiou'.includes(c));
  const misspelt = vowel > 0
    ? family.slice(0, vowel) + (family[vowel] === 'a' ? 'e' : 'a') + family.slice(vowel + 1)
    : family + family.slice(-1);
  await page.goto(`${base}/`);
  await journey(`find ${given} ${family} as "${given} ${misspelt}" and record a visit`, async () => {
    await page.goto(`${base}/children`);
    await page.fill('#q', `${given} ${misspelt}`);
    await page.click('button:has-text("Search")');
    await page.waitForLoadState('load');
    await page.locator(`table a:has-text("${given} ${family}")`).first().click();
    await page.waitForLoadState('load');
    await page.click('nav.hearth-subnav a:has-text("Casework")');
    await page.waitForLoadState('load');
    await page.click('#quick-actions a:has-text("Record a visit")');
    await page.waitForLoadState('load');
    await page.check('#child_seen');
    await page.check('#seen_alone');
    await page.fill('#childs_words', 'Can we go to the park?');
    await page.fill('#text', 'Visit at home; timed journey.');
    await page.click('button:text-is("Save")');
    await page.waitForLoadState('load');
    check(await page.locator('.govuk-notification-banner--success').count() === 1, `the misspelt "${misspelt}" found ${given} ${family} and the visit was saved`);
    return 10;
  });
  await journey("see what is overdue for one worker", async () => {
    await tm.goto(`${base}/work?scope=all`);
    await tm.selectOption('#worker', firstWorker ?? '');
    await tm.check('#overdue');
    await tm.click('button:has-text("Apply filters")');
    await tm.waitForLoadState('load');
    check((await tm.locator('h1').innerText()).startsWith('Work due for'), 'one worker\'s overdue work, timed');
    return 3;
  });
  await journey('correct a wrongly dated visit (amend its date with a reason)', async () => {
    await page.click('nav.hearth-subnav a:has-text("Casework")');
    await page.waitForLoadState('load');
    await page.locator('.hearth-record', { hasText: 'timed journey' }).locator('a[href$="/amend"]').click();
    await page.waitForLoadState('load');
    const d = new Date(Date.now() - 86400000);
    await page.fill('#date-day', String(d.getDate()));
    await page.fill('#date-month', String(d.getMonth() + 1));
    await page.fill('#date-year', String(d.getFullYear()));
    await page.fill('#reason', 'The visit was yesterday; I typed today by mistake.');
    await page.click('button:has-text("Save amendment")');
    await page.waitForLoadState('load');
    check(await page.locator('.govuk-notification-banner--success:has-text("Correction saved")').count() === 1, 'the visit\'s date corrected, timed');
    return 7;
  });

  console.log('Workforce: caseloads beside England, workers\' files, joiners, indicators, supervision');
  const wf = await (await browser.newContext()).newPage();
  await signIn(wf, 'workforce');
  await wf.goto(`${base}/workforce`);
  check((await wf.locator('h1').innerText()) === 'Workforce', 'the workforce page');
  check(await wf.locator('td:has-text("15.2")').count() >= 1, "England's average caseload beside the council's");
  await axeCheck(wf, '90-workforce');
  const joiner = await wf.locator('a[href$="/joiners"]').first().getAttribute('href');
  await wf.goto(`${base}${joiner}`);
  await wf.fill('#name', 'Robin Newly-Qualified');
  await wf.fill('#role_title', 'Social worker');
  await wf.fill('#fte', '1.4');
  await wf.fill('#swe_number', '12345');
  await wf.click('button:has-text("Save the joiner")');
  await wf.waitForLoadState('load');
  check(await wf.locator('.govuk-error-summary').count() === 1, 'a joiner with mistakes: the error summary');
  await axeCheck(wf, '91-workforce-joiner-errors');
  await wf.check('#org_role-5');
  await wf.check('#agency');
  await wf.fill('#fte', '1');
  await wf.fill('#swe_number', 'SW 778899');
  const joinedOn = new Date();
  await wf.fill('#asye_started-day', String(joinedOn.getDate()));
  await wf.fill('#asye_started-month', String(joinedOn.getMonth() + 1));
  await wf.fill('#asye_started-year', String(joinedOn.getFullYear()));
  await wf.click('button:has-text("Save the joiner")');
  await wf.waitForLoadState('load');
  check(await wf.locator('.govuk-notification-banner--success:has-text("The joiner is recorded")').count() === 1, 'the joiner saved, on their file');
  await axeCheck(wf, '92-workforce-worker');
  await wf.goto(`${base}/workforce/indicators`);
  check(await wf.locator('a[href="/workforce/indicators.xlsx"]').count() === 1, 'the indicators download as Excel');
  console.log(`  councillor: ${await wf.locator('.govuk-body-l').first().innerText()}`);
  await axeCheck(wf, '93-workforce-indicators');
  await wf.goto(`${base}/workforce/standards`);
  await axeCheck(wf, '94-workforce-standards');
  const wm = await (await browser.newContext()).newPage();
  await signIn(wm, 'team.manager');
  await wm.goto(`${base}/work?kind=supervision`);
  check(await wm.locator('a[href*="/supervision"]').count() >= 1, "supervision due on the manager's work due");
  await axeCheck(wm, '95-work-due-supervision');
  const supervisionDue = await wm.locator('a[href*="/supervision"]').first().getAttribute('href');
  await wm.goto(`${base}${supervisionDue}`);
  await axeCheck(wm, '96-supervision-form');
  await wm.fill('#reflection', 'Reflected on the week and what support helps.');
  await wm.click('button:has-text("Save the session")');
  await wm.waitForLoadState('load');
  check(await wm.locator('.govuk-notification-banner--success:has-text("supervision session is recorded")').count() === 1, 'a supervision session recorded');
  await axeCheck(wm, '97-worker-supervision');

  console.log('Single sign-on: the council\'s OpenID Connect provider (tests/oidc) and hearth serve');
  await singleSignOn(browser);
} catch (e) {
  failures++;
  console.error(e);
} finally {
  if (browser) await browser.close();
  server.kill('SIGINT');
  for (const p of extra) p.kill('SIGINT');
  rmSync(dir, { recursive: true, force: true });
}
console.log(failures === 0 ? 'browser tests passed' : `${failures} browser check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
