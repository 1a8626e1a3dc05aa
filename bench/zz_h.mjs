import { startBrowser } from '../tests/e2e/browser.mjs';
const { base, newPage, close } = await startBrowser();
for (const width of [640, 700]) {
  for (const q of ['rule=10%2Fminute', 'rule=5%2Fsecond%3B60%2Fminute', 'rule=10%2Fminute&clients=3', 'rule=5%2Fsecond%3B60%2Fminute&clients=6', 'rule=10%2Fminute&compare=1', 'rule=5%2Fsecond%3B60%2Fminute&compare=1&clients=3']) {
    const page = await newPage({ viewport: { width, height: 800 } });
    await page.goto(`${base}/embed.html?${q}`);
    await page.waitForFunction(() => customElements.get('rate-limit-playground'));
    await page.evaluate(() => document.querySelector('rate-limit-playground').ready);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    console.log(width, q, await page.evaluate(() => document.documentElement.scrollHeight));
    await page.close();
  }
}
await close();
