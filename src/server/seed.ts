/**
 * The demo data set: a small homeware-and-outdoor store with about 370 reviews across 12
 * products, written through the same service functions the API uses.
 *
 * Everything is derived from fixed seeds and a fixed base date, so two fresh databases
 * seeded with it hold identical rows (ids, dates, text, votes and photo bytes). Photos are
 * PNGs drawn here with pngjs: a product-coloured scene, no files on disk.
 */
import { PNG } from 'pngjs';
import { CreateReviewInputSchema, type CreateReviewInput } from '../api/requests.js';
import type { MediaInput, ModerationStatus } from '../api/schema.js';
import type { Db, Queryable } from './db.js';
import { storeImage } from './media.js';
import { DEMO_PRODUCTS, type DemoProduct } from './demo-products.js';
import { importRatings, type ImportedRating } from './ratings.js';
import { OrderInputSchema, ProductInputSchema } from '../api/review-requests.js';
import { writeOrder, writeProduct } from './catalog.js';
import { outboxSender } from './mailer.js';
import { cancelScheduled, createReviewRequest, sendNextDue, type SendingContext } from './review-requests.js';
import { tokenSecret } from './tokens.js';
import { createReview, setReply, type ReviewsConfig } from './reviews.js';

export { DEMO_PRODUCTS, type DemoProduct };


type Category = 'apparel' | 'home' | 'outdoor' | 'kitchen';

/** Reviews are "now" relative to this instant, so the data set never changes with the clock. */
const BASE_DATE = Date.parse('2026-11-01T12:00:00Z');
const DAY = 86_400_000;
const NAMESPACE = 'stores';
const SEED = 0x5eed_2026;
const VIDEO_URL = 'https://interactive-examples.mdn.mozilla.net/media/cc0-videos/flower.mp4';

// ---------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------

/** Small deterministic PRNG (mulberry32): the same seed gives the same sequence. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** `n` distinct items, in random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    while (out.length < n && copy.length) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]!);
    return out;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
  /** A random (version 4, RFC 4122 variant) UUID drawn from this generator. */
  uuid(): string {
    const b = Array.from({ length: 16 }, () => Math.floor(this.next() * 256));
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

// ---------------------------------------------------------------------------
// Products and what their reviewers say about them
// ---------------------------------------------------------------------------

interface Voice {
  category: Category;
  kind: SceneKind;
  noun: string;
  nouns: string;
  /** Reviews to generate (not counting the hand-written ones below). */
  count: number;
  /** Days on sale before the base date: no review is older. */
  age: number;
  /** Share of 5, 4, 3, 2 and 1 star reviews. */
  mix: readonly [number, number, number, number, number];
  /** Specific praise, complaints, minor complaints and context. `[a|b]` picks one. */
  pros: readonly string[];
  cons: readonly string[];
  gripes: readonly string[];
  uses: readonly string[];
  titles: { good: readonly string[]; mixed: readonly string[]; bad: readonly string[] };
  /** What the merchant says about a complaint that matches the pattern. */
  fixes: readonly (readonly [RegExp, string])[];
  /** Overrides the category's care and handling sentences. */
  care?: readonly string[];
  /** Alt text for reviewers' photos. */
  photo: string;
}

/** The usual J-shaped spread of a healthy product. */
const J_SHAPE = [55, 20, 9, 6, 10] as const;

const VOICES: readonly { id: string; voice: Voice }[] = [
  {
    id: 'organic-cotton-tee',
    voice: {
      category: 'apparel',
      kind: 'tee',
      noun: 'tee',
      nouns: 'tees',
      count: 74,
      age: 545,
      mix: J_SHAPE,
      pros: [
        "The 220 gsm cotton [feels substantial|has real weight to it] without being stiff, and it isn't see-through even in the light colours.",
        'The collar has kept its shape through [at least fifteen|a dozen|countless] washes. No bacon neck.',
        'The garment dye gives it a slightly lived-in look that I [really like|love].',
        'Shoulder seams sit exactly where they should and the sleeves hit mid-bicep.',
        "It barely shrank: maybe half a centimetre in length after a [hot|warm] wash.",
        "The body is long enough to tuck in but doesn't look like a dress untucked.",
        'The side seams stay straight after washing instead of twisting round to the front.',
        'The sage is softer in person than on my screen, in a good way.',
        'The stitching is tight and even, right down to the twin-needle hem.',
        "It's [soft|properly soft] from the first wear, no scratchy break-in period.",
        'It looks just as good under a blazer as it does with shorts.',
        "[Three|Four|Six] months of weekly wear and [there's no pilling at all|it still looks new].",
      ],
      cons: [
        'After four washes the neckline started to ripple and it now looks years old.',
        'It shrank almost a full size in length even though I washed it cold.',
        'It pilled under the arms within two weeks.',
        'The colour faded noticeably after the first wash and bled onto a white towel.',
        'The side seam twisted round to the front after a couple of washes.',
        "The fabric is much thinner than the 'heavyweight' description suggests.",
        'There was a small hole at the hem when it arrived.',
      ],
      gripes: [
        'the sleeves are a touch long for my arms.',
        "there's no pocket version, which I'd buy in a heartbeat.",
        'it creases if you leave it in the dryer.',
        'the first wash left a lot of lint in the filter.',
        "it's cut a little boxy, so size down if you like a close fit.",
      ],
      uses: [
        'I wear it under an overshirt most days and on its own at weekends.',
        'I bought three for travelling so I can rotate them in a carry-on.',
        'I work long shifts in a warm kitchen and these hold up.',
        "It's become my default gym-to-coffee shirt.",
        'I needed plain tees for work that still look smart by the end of the day.',
      ],
      titles: {
        good: ['The perfect plain tee', 'Finally, a tee that lasts', 'Heavyweight and soft', 'Bought three more', 'My everyday tee now', 'Great basic'],
        mixed: ['Nice fabric, odd fit', 'Good, but it shrinks a bit', 'Decent tee'],
        bad: ['Shrank after one wash', 'Collar went wavy', 'Not heavyweight at all', 'Faded fast'],
      },
      fixes: [
        [/neckline|collar/, "We've since moved to a denser rib on the neckband, and we've sent you a replacement from the new batch."],
        [/shr[au]nk/, "Our tees are pre-washed, so that much shrinkage is more than we'd expect; reply to your order email and we'll exchange it for a longer fit or refund it."],
        [/faded|bled/, "Colour shouldn't bleed after garment dyeing. We've passed your order number to the dye house and issued a refund."],
      ],
      photo: 'Organic cotton tee laid flat',
    },
  },
  {
    id: 'cast-iron-skillet',
    voice: {
      category: 'kitchen',
      kind: 'skillet',
      noun: 'skillet',
      nouns: 'skillets',
      count: 56,
      age: 520,
      mix: [62, 19, 7, 4, 8],
      pros: [
        'The cooking surface is milled smooth, nothing like the sandpaper texture of the cheap ones.',
        'It holds heat beautifully: I get a proper crust on steak and the pan barely cools when the meat goes in.',
        'Fried eggs slide around after [a week|two weeks] of regular use and a couple of extra rounds of seasoning.',
        "The helper handle makes it manageable to lift out of the oven even when it's full.",
        'It went straight from the hob into a 250°C oven for cornbread and came out perfect.',
        "At about 2.3 kg it's lighter than my old skillet of the same size.",
        'The pour spouts on both sides actually pour without dribbling.',
        'It works perfectly on our induction hob, no warping or spinning.',
        'Cleanup is [a quick rinse|hot water and a chainmail scrubber], then a few drops of oil.',
        'Cornbread, pan pizza, smash burgers, tarte tatin: it has handled everything.',
      ],
      cons: [
        'The factory seasoning flaked off in the first week and left black bits in the food.',
        'There is a rough casting bump in the middle, so oil pools at the edges.',
        'It arrived with rust spots along the rim.',
        "It rocks slightly on a flat glass hob, so it's useless on our induction cooker.",
        'The handle gets dangerously hot, and the silicone sleeve they sell separately should be included at this price.',
      ],
      gripes: [
        'the handle gets very hot, so keep a towel or sleeve nearby.',
        "it's heavy enough that one-handed flipping isn't happening.",
        "the factory seasoning is thin; I'd do a couple of rounds in the oven before cooking eggs.",
        'the helper handle could be a little bigger for oven gloves.',
      ],
      uses: [
        'I cook with it four or five nights a week, mostly on a gas hob.',
        'We take it camping and it goes straight onto the fire grate.',
        'I bake sourdough focaccia in it every weekend.',
        'It replaced a non-stick pan that was shedding its coating.',
      ],
      titles: {
        good: ['Will outlive me', 'Smooth surface, great sear', 'Best pan in the kitchen', 'Heirloom quality', 'Worth learning cast iron for'],
        mixed: ['Good pan, thin seasoning', 'Heavy but good', 'Fine once re-seasoned'],
        bad: ['Seasoning flaked off', 'Arrived rusty', 'Warped base'],
      },
      fixes: [
        [/flak/, "Flaking in the first week usually means a thin factory coat on that batch; we've sent a replacement and a care card with the oven seasoning method that fixes it."],
        [/rust/, "Rust on arrival is a packing problem on our side (a damp carton). A new skillet is on its way, and there's no need to return the first one."],
        [/handle gets/, 'From this month every skillet ships with the silicone handle sleeve included.'],
      ],
      photo: 'Cast iron skillet with two fried eggs',
    },
  },
  {
    id: 'insulated-bottle-750',
    voice: {
      category: 'outdoor',
      kind: 'bottle',
      noun: 'bottle',
      nouns: 'bottles',
      count: 46,
      age: 480,
      mix: [58, 20, 8, 5, 9],
      pros: [
        'Ice was still rattling around after a full day in a hot car.',
        "The loop cap seals properly; it's been sideways in my laptop bag for weeks with no leaks.",
        'The powder coat has survived being dropped on concrete more than once with just a tiny scuff.',
        'It fits the cup holder in my car and the side pocket of my backpack.',
        'No metallic taste at all, even with sparkling water.',
        'The mouth is wide enough for ice cubes and a bottle brush.',
        'Hot tea in the morning was still too hot to drink at lunch.',
        "750 ml is the right size: I refill it twice a day instead of five times.",
        'The teal is [a gorgeous colour|even nicer in person] and hides scratches well.',
      ],
      cons: [
        'The cap started leaking after a month; the seal seems to have stretched.',
        'It dented the first time it fell off my desk, and now it wobbles.',
        'The paint chipped off around the base within two weeks.',
        'It sweats on the outside, which suggests the vacuum seal has failed.',
        "It doesn't keep anything cold for 24 hours; mine was lukewarm by mid-afternoon.",
      ],
      gripes: [
        'it is too tall for the cup holder in my old car.',
        'drinking while walking can be splashy with the wide mouth.',
        'the loop cap is a bit stiff to unscrew with cold hands.',
        "it's heavier than a plastic bottle, obviously.",
      ],
      uses: [
        'I fill it in the morning and it lasts my whole office day.',
        'It comes to every climbing session.',
        'I bought it for school after two plastic bottles cracked.',
        "It's been on three long hikes and a week of festival camping.",
      ],
      titles: {
        good: ['Ice lasts all day', 'Finally a bottle that does not leak', 'Tough and leakproof', 'My daily bottle', 'Keeps coffee hot for hours'],
        mixed: ['Good bottle, stiff cap', 'Fine, a bit heavy', 'Nice but dents easily'],
        bad: ['Cap leaks', 'Lost its vacuum', 'Paint chipped in two weeks'],
      },
      fixes: [
        [/leak/, 'A leaking cap is covered by our lifetime warranty. We have sent a new cap with the updated silicone ring.'],
        [/sweats|lukewarm|vacuum/, "That sounds like a failed vacuum seal, which is a manufacturing defect. We've shipped a replacement bottle."],
      ],
      photo: 'Teal insulated bottle outdoors',
    },
  },
  {
    id: 'wool-overshirt',
    voice: {
      category: 'apparel',
      kind: 'shirt',
      noun: 'overshirt',
      nouns: 'overshirts',
      count: 40,
      age: 430,
      mix: [52, 22, 10, 6, 10],
      pros: [
        "The brushed wool is soft enough to wear over just a tee, with no itch [at all|whatsoever].",
        'The horn buttons feel solid and the buttonholes are properly finished.',
        "It's warm enough for a crisp autumn morning but doesn't overheat indoors.",
        'The chest pockets are actually big enough for a phone.',
        'The rust colour is rich and works with both denim and grey chinos.',
        'The cut is boxy without being sloppy, so it works as a light jacket.',
        'The inside seams are taped, so nothing scratches at the collar.',
        'It blocks wind better than I expected from a shirt.',
      ],
      cons: [
        'It pilled badly under the arms and where my bag strap sits within a month.',
        'One button came off on the second wear; the thread was barely knotted.',
        "The sleeves are absurdly long; I'll need to have them tailored.",
        'It shrank a full size after a gentle hand wash, following the care label exactly.',
        'The colour is much more orange than the photos.',
      ],
      gripes: [
        'the sleeves run slightly long.',
        'dry cleaning is recommended, which is a bit of a hassle.',
        'it sheds a little fluff onto dark trousers for the first few wears.',
        'the collar needs a press to sit flat.',
      ],
      uses: [
        'I wear it as a jacket over a T-shirt on my walk to work.',
        'It has replaced a fleece for weekend walks.',
        'I layer it over a thin jumper when the office is cold.',
      ],
      titles: {
        good: ['Perfect autumn layer', 'Soft, warm, well made', 'Wear it almost daily', 'Beautiful colour'],
        mixed: ['Lovely wool, long sleeves', 'Nice but pills', 'Good, not great'],
        bad: ['Pilled within a month', 'Button fell off', 'Shrank in the wash'],
      },
      fixes: [
        [/button/, "We've added a spare button to every overshirt since September, and we've sent you a repair kit plus return postage if you'd rather we fix it."],
        [/pill/, "Some pilling in friction areas is normal for brushed wool in the first weeks, but not this much; we've offered an exchange and shared your photos with our mill."],
      ],
      photo: 'Rust wool overshirt laid flat',
    },
  },
  {
    id: 'packable-rain-jacket',
    voice: {
      category: 'apparel',
      kind: 'jacket',
      noun: 'jacket',
      nouns: 'rain jackets',
      count: 36,
      age: 400,
      mix: [24, 14, 16, 16, 30],
      pros: [
        'It packs into its own pocket, down to the size of a grapefruit.',
        'It weighs next to nothing and lives permanently in my backpack.',
        'The hood has a proper brim and turns with your head.',
        "It's fine for drizzle and wind on the city commute.",
        'The bright yellow makes me very visible on the bike at dusk.',
        'The pit zips are a nice touch on uphill walks.',
      ],
      cons: [
        'It wetted out at the shoulders after 40 minutes of steady rain, and my shirt underneath was soaked.',
        'The seam tape started peeling inside the hood after a handful of wears.',
        'The zip snags on the storm flap constantly.',
        "It's clammy inside; I get as wet from sweat as I would from the rain.",
        'The sizing is all over the place: the large is tight across the chest but the sleeves are huge.',
        'The water repellent finish stopped beading after two washes.',
        'The fabric crinkles loudly every time you move.',
      ],
      gripes: [
        'breathability is just okay on uphill walks.',
        'the fit is slim, so size up if you layer underneath.',
        'the hood is a bit big without a hat underneath.',
      ],
      uses: [
        'I bought it for a week of walking in Scotland.',
        'I wanted something light to keep in my bike bag for surprise showers.',
        'It was meant to be my travel rain jacket for a trip to Vancouver.',
        'I needed a shell for the school run that fits in a handbag.',
      ],
      titles: {
        good: ['Great for travel', 'Tiny when packed', 'Does the job in showers'],
        mixed: ['Fine for drizzle only', 'Light but not that waterproof', 'Good idea, so-so execution'],
        bad: ['Not waterproof', 'Soaked through in an hour', 'Seam tape peeling', 'Not worth $189'],
      },
      fixes: [
        [/shoulders?|wetted|soaked|seam tape/, "The shoulder wetting traces back to a seam-tape batch from last spring; affected jackets are covered by a free replacement, and we've emailed you to arrange it."],
        [/repellent/, "The water repellent finish needs refreshing more often than we'd like on this fabric; we've emailed instructions and a prepaid label in case you'd prefer a refund."],
        [/sizing|tight across/, "We're revising the size chart, and we've arranged an exchange to the size our fit team recommends for your measurements."],
      ],
      photo: 'Yellow packable rain jacket',
    },
  },
  {
    id: 'linen-duvet-cover',
    voice: {
      category: 'home',
      kind: 'duvet',
      noun: 'duvet cover',
      nouns: 'duvet covers',
      count: 30,
      age: 500,
      mix: [60, 18, 8, 5, 9],
      pros: [
        'The linen got noticeably softer with every wash; by the third it felt like an old favourite.',
        'It stays cool on hot nights. No more kicking the duvet off at 3 am.',
        'The corner ties inside actually keep the duvet in place.',
        'The oat colour is warm and looks expensive next to white sheets.',
        'The coconut buttons are sewn on firmly and the closure is hidden.',
        "It's generously sized; my king duvet fills it without bunching.",
        'The stonewashed texture means it looks good even unironed.',
      ],
      cons: [
        'It arrived with a hole near the seam.',
        'It shed lint all over my dark pyjamas and the floor for weeks.',
        "It's much smaller than listed; my queen duvet is squashed into it.",
        'After five washes a seam along the bottom opened up.',
        'It is still scratchy after several washes.',
      ],
      gripes: [
        "it wrinkles, obviously; if you want crisp you'll need to iron.",
        'the first two washes left a lot of lint in the dryer.',
        'the buttons are a bit fiddly.',
      ],
      uses: [
        'We bought it for the guest room and then moved it to our own bed.',
        'I run hot at night and was tired of sweaty cotton sateen.',
        "It's our summer cover, swapped in around May.",
      ],
      titles: {
        good: ['Like sleeping in a hotel', 'Gets softer every wash', 'Cool on hot nights', 'Beautiful linen'],
        mixed: ['Nice, but sheds', 'Lovely colour, scratchy at first'],
        bad: ['Arrived with a hole', 'Seam split', 'Runs small'],
      },
      fixes: [
        [/hole|seam/, "That's clearly a fault. We've sent a replacement cover and a free return label for the damaged one."],
        [/lint/, "Linen sheds at first, though this sounds like more than usual. Two washes with a cup of white vinegar usually settles it; if it doesn't, we'll take it back."],
      ],
      photo: 'Oat linen duvet cover on a bed',
    },
  },
  {
    id: 'trail-daypack-22l',
    voice: {
      category: 'outdoor',
      kind: 'pack',
      noun: 'pack',
      nouns: 'daypacks',
      count: 26,
      age: 450,
      mix: [55, 22, 9, 5, 9],
      pros: [
        'The ventilated back panel keeps my back noticeably drier than my old pack.',
        'The hip belt takes the weight off my shoulders on longer days.',
        'The side pockets hold a 1 litre bottle securely and I can reach it without taking the pack off.',
        '22 litres is the sweet spot: layers, lunch, a first aid kit and a camera.',
        'The zips run smoothly even when the pack is stuffed.',
        'The fabric shrugged off a day of scrambling without a scratch.',
        'The hydration sleeve has a hose port on both sides.',
      ],
      cons: [
        'The shoulder strap stitching started to fray after three hikes.',
        'The frame of the back panel digs into my lower back after an hour.',
        'The main zip burst when the pack was only moderately full.',
        'It is not remotely water resistant; everything inside got damp in light rain.',
      ],
      gripes: [
        'the hip belt pockets could be bigger; my phone barely fits.',
        "there's no rain cover included at this price.",
        'the sternum strap slides around a bit.',
      ],
      uses: [
        'I use it for day hikes and as a carry-on for short flights.',
        "It's been up a dozen fells in the Lake District this year.",
        "It's my commuter bag too, with the laptop in the hydration sleeve.",
      ],
      titles: {
        good: ['Comfortable all day', 'The perfect day hike size', 'Great ventilation', 'Well thought out'],
        mixed: ['Good pack, small pockets', 'Comfortable but not waterproof'],
        bad: ['Straps fraying already', 'Zip failed'],
      },
      fixes: [
        [/fray|zip/, "Fraying stitching is covered by our warranty. We've emailed you a prepaid label; we'll repair or replace it, whichever is faster."],
        [/back panel/, "The back panel suits torsos from 41 to 51 cm; we've offered an exchange for the S/M version."],
      ],
      photo: 'Slate blue daypack',
    },
  },
  {
    id: 'stoneware-mug-set',
    voice: {
      category: 'kitchen',
      kind: 'mugs',
      noun: 'mugs',
      nouns: 'mugs',
      count: 22,
      age: 360,
      mix: [57, 20, 8, 6, 9],
      pros: [
        'Each mug has slightly different glaze pooling, so they look properly handmade.',
        'The handles fit three fingers comfortably, even with big hands.',
        '350 ml is the perfect size for a latte.',
        "They've been through the dishwasher daily for months with no crazing.",
        'The walls are thick enough to keep coffee warm for a while.',
        "They sit flat, and the unglazed base doesn't scratch the table.",
      ],
      cons: [
        'One of the four arrived cracked straight through.',
        'The handle gets too hot to hold after a minute in the microwave.',
        'The glaze chipped on the rim of two mugs within the first month.',
        "They're much smaller than I expected; more espresso cup than mug.",
      ],
      gripes: [
        "they're heavier than they look.",
        'the colour varies a lot more between mugs than the photos suggest.',
        'the unglazed bases picked up a coffee stain.',
      ],
      uses: [
        'They are our morning coffee mugs now; the old ones went to the charity shop.',
        'I gave a set to my sister for her new flat and kept one for myself.',
      ],
      titles: {
        good: ['Beautiful everyday mugs', 'Lovely glaze', 'Perfect latte size'],
        mixed: ['Pretty but heavy', 'Nice, colours vary a lot'],
        bad: ['Arrived broken', 'Chipped in a month'],
      },
      care: ['They go through the dishwasher every day.', 'They stack neatly in our small cupboard.', 'They look lovely on the open shelf.'],
      fixes: [
        [/cracked/, "A replacement mug is on its way, and we've doubled the cardboard dividers in the box since."],
        [/chipped/, "Chipping this early isn't normal. We've refunded the set; please keep the mugs or recycle them."],
      ],
      photo: 'Stoneware mugs on a table',
    },
  },
  {
    id: 'chefs-knife-8in',
    voice: {
      category: 'kitchen',
      kind: 'knife',
      noun: 'knife',
      nouns: 'knives',
      count: 16,
      age: 380,
      mix: [68, 18, 6, 3, 5],
      pros: [
        'Scary sharp out of the box; it falls through onions.',
        'The balance point sits right at the bolster, which makes long prep sessions easy.',
        "The walnut handle is comfortable and doesn't get slippery when wet.",
        'It is still holding its edge after two months of daily use and a few strokes on the honing rod.',
        "The blade is thin behind the edge, so it doesn't wedge in carrots or squash.",
      ],
      cons: [
        'Small rust spots appeared after I left it wet for one evening.',
        'The edge chipped on a pumpkin within the first week.',
        'There is a gap between the handle and the blade where gunk collects.',
      ],
      gripes: ['it needs drying straight away or it spots.', 'a blade guard would be nice at this price.'],
      uses: ['I cook most nights and this has replaced three other knives in the block.', 'I bought it as an upgrade from a supermarket knife set.'],
      titles: {
        good: ['Ridiculously sharp', 'Best knife I own', 'Beautiful and balanced'],
        mixed: ['Sharp, needs care'],
        bad: ['Chipped in a week', 'Rust spots'],
      },
      fixes: [[/rust/, "The steel does need drying promptly, but spots shouldn't appear that quickly. We've sent care instructions and a free sharpening voucher."]],
      photo: "Chef's knife on a board with sliced carrots",
    },
  },
  {
    id: 'camp-lantern',
    voice: {
      category: 'outdoor',
      kind: 'lantern',
      noun: 'lantern',
      nouns: 'lanterns',
      count: 3,
      age: 50,
      mix: J_SHAPE,
      pros: [
        'The warm light mode is lovely, nothing like the blue-white glare of most LED lanterns.',
        'The battery lasted three nights on low with plenty to spare.',
        'USB-C charging means one less cable in the bag.',
        'The folding handle doubles as a hook for the tent loop.',
      ],
      cons: ['The dimmer jumps from very dim to very bright with nothing in between.'],
      gripes: ['the button is hard to find in the dark.'],
      uses: ['I took it on a four-night canoe trip.', 'It lives on the balcony table for summer evenings.'],
      titles: { good: ['Warm, cosy light', 'Great battery life'], mixed: ['Nice light, awkward dimmer'], bad: ['Dimmer is useless'] },
      fixes: [[/dimmer/, "We're adjusting the dimmer curve in the next firmware batch, and we've offered you an exchange."]],
      photo: 'Camp lantern glowing at dusk',
    },
  },
  {
    id: 'merino-crew-socks',
    voice: {
      category: 'apparel',
      kind: 'socks',
      noun: 'socks',
      nouns: 'socks',
      count: 2,
      age: 30,
      mix: J_SHAPE,
      pros: [
        "They're warm without being sweaty, even in walking boots.",
        "They don't slide down at the ankle.",
        'The cushioning under the heel makes a difference on long days.',
      ],
      cons: ['A hole appeared in the heel after a month.'],
      gripes: ['the cuff is a little tight on my calves.'],
      uses: ['I wear them for work boots and weekend walks.'],
      titles: { good: ['Warm and comfy', 'Best socks I own'], mixed: ['Good but tight cuff'], bad: ['Holes already'] },
      fixes: [[/hole/, "Socks are covered by our one-year guarantee; we've sent a new pair."]],
      photo: 'Merino crew socks',
    },
  },
  {
    id: 'ceramic-pour-over',
    voice: {
      category: 'kitchen',
      kind: 'dripper',
      noun: 'dripper',
      nouns: 'drippers',
      // Brand new: no reviews yet, so the demo can show the empty state.
      count: 0,
      age: 0,
      mix: J_SHAPE,
      pros: [],
      cons: [],
      gripes: [],
      uses: [],
      titles: { good: [], mixed: [], bad: [] },
      fixes: [],
      photo: 'Ceramic pour-over dripper',
    },
  },
];

const PRODUCTS: readonly (DemoProduct & { voice: Voice })[] = VOICES.map(({ id, voice }) => {
  const product = DEMO_PRODUCTS.find((p) => p.id === id);
  if (!product) throw new Error(`no demo product ${id}`);
  return { ...product, voice };
});

// ---------------------------------------------------------------------------
// Shared phrasing, by rating (index 0 is five stars, 4 is one star)
// ---------------------------------------------------------------------------

type ByRating = readonly [readonly string[], readonly string[], readonly string[], readonly string[], readonly string[]];
const byRating = <T>(table: readonly [T, T, T, T, T], rating: number): T => table[5 - rating]!;

const OPENERS: ByRating = [
  [
    '[Absolutely|Honestly|Genuinely] love [it|{this}].',
    'Exceeded my expectations.',
    'Worth every penny.',
    'This is the one.',
    "I'd been looking for {nouns} like this for years.",
    'Five stars, no hesitation.',
    '[Really|Properly|Seriously] impressed.',
    "Bought on a whim and it's become a favourite.",
    'So glad I finally ordered.',
    "One of the best things I've bought this year.",
    'You can feel the quality the moment you open the box.',
    "I don't usually write reviews, but this deserves one.",
    "Better than {nouns} I've paid twice as much for.",
    'My partner [stole|keeps borrowing] mine, so I am ordering another.',
  ],
  [
    'Very good, with one small catch.',
    'Really nice overall.',
    'Solid purchase.',
    'Happy with it, mostly.',
    'Good quality for the price.',
    'Nearly perfect.',
    'I like it a lot.',
    'Does what it promises.',
    'Four and a half stars if I could.',
  ],
  [
    "It's fine, but not amazing.",
    'Mixed feelings about this one.',
    'Decent, with some caveats.',
    'Middle of the road for me.',
    'Not bad, not great.',
    'I wanted to love it.',
    "It's okay. Just okay.",
    "Some things I like, some I really don't.",
  ],
  [
    'Disappointed, to be honest.',
    'Not what I expected.',
    'Hard to recommend at this price.',
    "It's okay at best.",
    'I had high hopes.',
    'I really wanted this to work.',
  ],
  [
    'Really disappointed.',
    'Would not buy again.',
    'Save your money.',
    "Unfortunately this didn't work out at all.",
    'Very poor for the price.',
    "I'm honestly annoyed I paid full price for this.",
  ],
];

const CLOSERS: ByRating = [
  ['Already ordered another.', 'Would buy again in a heartbeat.', 'Highly recommend.', "Can't fault it.", 'Bought a second as a gift.', 'Ten out of ten.', 'No regrets at all.', 'Just buy it.'],
  ['Would still recommend.', "Overall I'm happy with it.", "I'd buy it again.", 'Four stars only because of that one niggle.', 'Still a keeper.'],
  ['Might keep it, might return it.', "It'll do, but I won't rush to reorder.", 'Okay if you catch it on sale.', 'Wait for a discount.', "Not sure I'd buy it again."],
  ['Probably returning it.', 'Expected better.', 'Not for me.', "I'll try a different brand next time.", "Can't recommend it, sadly."],
  ['Returned it.', "I've asked for a refund.", 'Avoid.', 'Very disappointing experience overall.', 'Going back in the box.'],
];

const SHORT: ByRating = [
  [
    'Love it!',
    'Perfect, thank you.',
    'Exactly as described.',
    'Great quality, fast shipping.',
    'Gorgeous and well made.',
    "Couldn't be happier.",
    'My new favourite {noun}.',
    'Second order. Still great.',
    'Brilliant.',
    'Superb quality.',
    '10/10 would buy again.',
    'Does exactly what it should.',
  ],
  ['Really nice, just a little pricey.', 'Good {noun}. Would recommend.', 'Very happy, minus slow shipping.', 'Solid. Does the job well.', 'Nice. Wish there were more colours.'],
  ["It's okay.", 'Fine for the price, nothing special.', 'Does the job.', 'Average. Expected more at this price.', 'Fine. Not life-changing.'],
  ['Not great, sadly.', "Quality isn't what it used to be.", 'Meh. Expected better.', 'Not as nice as the photos.'],
  ['Broke within a week.', 'Terrible. Returned.', 'Waste of money.', 'Not as described.', 'Very poor quality.'],
];

const TITLES: ByRating = [
  ['Love it', 'Perfect', 'Great quality', 'Exactly as described', "Best {noun} I've owned", 'Worth it', 'A new favourite', 'Buy it', 'Superb', 'So good', 'Really well made', 'Exceeded expectations'],
  ['Very good', 'Almost perfect', 'Great, one small issue', 'Solid', 'Happy overall', 'Good, not perfect', 'Really nice', 'Would recommend'],
  ['Okay', "It's fine", 'Mixed feelings', 'Average', 'Decent but pricey', 'Could be better'],
  ['Disappointing', 'Not great', 'Expected more', 'Meh', 'Not worth the price'],
  ['Terrible', 'Do not buy', 'Fell apart', 'Waste of money', 'Very disappointed', 'Returned it'],
];

const SHIPPING_GOOD = [
  'It arrived in two days, well packed.',
  'Shipping was fast and the packaging was plastic-free.',
  'It came a day earlier than promised.',
  'The box was recyclable and there was a handwritten thank-you note inside.',
  'Delivery took about a week, which was fine.',
  'Tracking was accurate and it turned up on time.',
  'Free shipping, and it still arrived in three days.',
];
const SHIPPING_BAD = [
  'Shipping took almost three weeks.',
  'The parcel arrived with a crushed corner.',
  "Tracking didn't update for five days.",
  'Delivery was delayed twice without explanation.',
  'The courier left it out in the rain.',
];
const SERVICE_GOOD = [
  'Customer service answered my sizing question within an hour.',
  'Support swapped it for a different size without any fuss.',
  'When I emailed a question I got a real answer from a real person the same day.',
];
const SERVICE_BAD = [
  'Customer service took four days to reply.',
  "Support offered a 10% discount code, which doesn't really fix the problem.",
  'The return process was slow and I had to pay the postage myself.',
];

const GRIPE_LEADS = ['My only gripe: ', 'One small thing: ', 'If I had to nitpick, ', 'The only thing I would change: '];
const CARE: Record<Category, readonly string[]> = {
  apparel: [
    'I wash it cold on a gentle cycle and hang it to dry.',
    "I've been line-drying it, which seems to help.",
    "It's been through the washer and dryer more times than I can count.",
    'It travels well: rolled up in a carry-on it comes out almost crease-free.',
  ],
  home: [
    'I wash it at 40°C and tumble dry on low.',
    "It's been through the wash every week since it arrived.",
    'It looks even better in our home than in the photos.',
    'It goes with everything in our slightly chaotic flat.',
  ],
  outdoor: [
    "It's been rained on, dropped and stuffed into the boot of the car.",
    'It lives in the car, so it gets knocked around a lot.',
    "I've used it in everything from a heatwave to a week of sleet.",
    "It's survived two kids and a dog so far.",
  ],
  kitchen: [
    'I hand-wash it and dry it straight away.',
    'It gets used every single day in our house.',
    'It looks good enough to leave out on the counter.',
    'My partner, who cooks more than I do, approves too.',
  ],
};
const STUFF: Record<Category, string> = { apparel: 'clothes', home: 'homeware', outdoor: 'outdoor gear', kitchen: 'kitchen kit' };

const LONG_INTROS = [
  'Long review, because I read every review here before buying and want to return the favour.',
  "I've had this for {time} now, which feels like long enough to give a fair verdict.",
  "Some background: I'm fussy about {stuff} and I've returned more {nouns} than I'd like to admit, so I went in sceptical.",
  "I held off writing this until I'd really put it through its paces.",
  "I compared this with a couple of pricier options before ordering, so here's how it stacks up.",
  "I don't normally write long reviews, but there's a lot to say about this one.",
];
const UPDATES: readonly [readonly string[], readonly string[], readonly string[]] = [
  ['Update after {time}: it still looks and works like new.', "{Time} in, there's still no sign of wear worth mentioning.", "Update: I've used it almost daily for {time} and would buy it again tomorrow."],
  ["Update after {time}: holding up fine, but the issue above hasn't gone away.", "{Time} later it's fine, if a bit unremarkable."],
  ["Update after {time}: it's got worse, not better.", 'I gave it a few more weeks before posting this, hoping it would improve. It did not.'],
];
const NUMBERS = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

// Reviewers: first names and surnames grouped so the pairs are plausible.
const NAME_GROUPS: readonly (readonly [readonly string[], readonly string[]])[] = [
  [
    ['James', 'Emily', 'Michael', 'Sarah', 'Daniel', 'Hannah', 'Chris', 'Laura', 'Ben', 'Rachel', 'Tom', 'Megan', 'Ryan', 'Jess', 'Kate', 'Mark', 'Olivia', 'Nathan'],
    ['Thompson', 'Walker', 'Bennett', 'Hughes', 'Carter', 'Foster', 'Reed', 'Parker', 'Mitchell', 'Brooks', 'Sullivan', 'Hayes'],
  ],
  [
    ['Carlos', 'María', 'Diego', 'Sofia', 'Alejandro', 'Gabriela', 'Luis', 'Valentina', 'Camila', 'Mateo'],
    ['García', 'Rodríguez', 'Morales', 'Herrera', 'Castillo', 'Vargas', 'Ortiz', 'Reyes'],
  ],
  [
    ['Wei', 'Mei', 'Hiroshi', 'Yuki', 'Min-jun', 'Ji-woo', 'Kenji', 'Hana', 'Jun', 'Linh', 'Minh'],
    ['Chen', 'Wang', 'Tanaka', 'Kim', 'Park', 'Nakamura', 'Liu', 'Lee', 'Nguyen', 'Tran'],
  ],
  [
    ['Priya', 'Arjun', 'Ananya', 'Rohan', 'Aisha', 'Vikram', 'Neha', 'Sanjay', 'Kavya'],
    ['Patel', 'Sharma', 'Iyer', 'Reddy', 'Gupta', 'Nair', 'Singh', 'Menon'],
  ],
  [
    ['Chinedu', 'Amara', 'Kwame', 'Zainab', 'Tendai', 'Nia', 'Olu', 'Abena', 'Kofi'],
    ['Okafor', 'Mensah', 'Adeyemi', 'Boateng', 'Mwangi', 'Nkosi', 'Diallo', 'Okonkwo'],
  ],
  [
    ['Omar', 'Layla', 'Yusuf', 'Leila', 'Karim', 'Noor', 'Tariq', 'Yasmin'],
    ['Haddad', 'Khalil', 'Nasser', 'Farah', 'Saleh', 'Mansour'],
  ],
  [
    ['Lukas', 'Emma', 'Matteo', 'Chiara', 'Sven', 'Ingrid', 'Pierre', 'Élodie', 'Tomasz', 'Zofia', 'Niamh', 'Cillian', 'Anouk'],
    ['Müller', 'Rossi', 'Johansson', 'Dubois', 'Kowalski', "O'Brien", 'Jansen', 'Novak', 'Lindqvist', 'Bianchi'],
  ],
  [
    ['Mateus', 'Ana', 'Aroha', 'Tane', 'Kai', 'Leilani', 'Bruno'],
    ['Silva', 'Costa', 'Ngata', 'Kahananui', 'Pereira', 'Walker'],
  ],
];

const REPLY_SIGNOFFS = ['Jo, Customer Care', 'Priya, Customer Care', 'Sam from the team', 'Marta, Customer Care'];
const REPLY_THANKS = [
  "Thank you{name}! We're so glad to hear it's earning its keep.",
  "Thanks so much for taking the time to write this{name}. We've shared it with the people who designed the {noun}.",
  'This made our day{name}. Thank you!',
  "Thank you{name}. Reviews like this are exactly why we do what we do.",
];
const REPLY_MIXED = [
  "Thanks for the balanced review{name}. We've passed your notes to our product team; feedback like this is how the next batch gets better.",
  "Thank you for the honest feedback{name}. We've shared it with our product team, and we'd love to make it right: just reply to your order e-mail.",
];
const REPLY_SORRY = [
  "We're sorry{name}. This isn't the experience we want anyone to have.",
  'Thank you for letting us know{name}, and sorry for the trouble.',
  "We're really sorry to read this{name}.",
];
const REPLY_GENERIC_FIX = [
  "We've emailed you to arrange a replacement or a refund, whichever you prefer.",
  'Our team has been in touch by email with a prepaid return label.',
];

const HEIGHTS = [`5'3"`, `5'5"`, `5'7"`, `5'9"`, `5'11"`, `6'1"`, `6'4"`, '158 cm', '165 cm', '170 cm', '175 cm', '180 cm', '185 cm', '192 cm'];
const BUILDS = ['slim', 'broad-shouldered', 'average build', 'athletic', 'on the curvy side', 'a bit soft around the middle', 'long in the arms', 'petite'];
const SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];
const FIT_GOOD = ['true to size', 'exactly as the size chart promised', 'relaxed without looking baggy', 'with room for a thin layer underneath', 'just the way I like it'];
const FIT_BAD = ['tight across the chest', 'oddly short in the body', 'baggy everywhere except the shoulders', 'nothing like the size chart suggests'];
const FIT_LINES = [
  "For reference: I'm {h}, {build}, and the {size} fits {fit}.",
  "I'm {h} and usually take an {size}; my normal size fits {fit}.",
  'Sizing note: {h}, {build}, ordered {size}, fits {fit}.',
];
const FILLERS_GOOD = [
  'For comparison, my previous one came from a big-name brand and cost more; this beats it on [materials|build quality|the small details].',
  "I've recommended it to [two friends already, and they've|my sister already, and she's|a colleague already, and he's] ordered one too.",
  "It's the kind of thing you stop noticing because it just works, which is the highest compliment I can give.",
  'The small details are what sold me: nothing feels like an afterthought.',
  "I did a fair amount of research before buying, and I'm glad I didn't go for the cheaper option.",
  "If it ever wears out I'll buy exactly the same thing again without looking elsewhere.",
  "It's rare that something looks exactly like the product photos, but this does.",
  'The price made me hesitate, but per use it is already cheaper than the thing it replaced.',
];
const FILLERS_BAD = [
  'I followed the care instructions to the letter.',
  "I've owned cheaper {nouns} that lasted longer.",
  'For the price I expected much better quality control.',
  "I really wanted to like it, because on paper it's exactly what I was after.",
  "Reading the other reviews, I'm clearly not the only one.",
  "I held off writing this in case I'd just been unlucky, but I don't think I was.",
];
const FILLERS_MIXED = [
  "It's not a bad {noun}; it just doesn't live up to the price.",
  "I'd still recommend it to a friend, with a warning about the above.",
  "I've had better and I've had much worse.",
  "If the next batch fixes this, it'd be an easy four or five stars.",
  'I keep going back and forth on whether to keep it.',
];
/** A paragraph of lived experience for long reviews, by category. */
const STORIES_GOOD: Record<Category, readonly string[]> = {
  apparel: [
    'The real test was a [long weekend in Lisbon|work trip to Chicago|week visiting family up north]. I wore it [three days out of four|almost every day], washed it once in a hotel sink, and it was dry and presentable the next morning, which is more than I can say for everything else I packed.',
    "I've worn it to the office, to a [rehearsal dinner|friend's gallery opening|parents' evening] and on a muddy dog walk in the same week, and it looked right every time. Nobody has ever asked where my clothes are from; two people have asked about this.",
    'What convinced me was [the fifth|the tenth|the fifteenth] wash. Cheaper {nouns} I have owned go soft and shapeless by then. This still looks the way it did the day it arrived, and the colour has not shifted at all.',
  ],
  home: [
    "We've had a [heatwave|cold snap|run of grey, damp weeks] since it arrived, which turned out to be the perfect test. [Both of us|My partner, who complains about everything,|Even the cat] approved.",
    "Guests have asked about it twice now. It's the kind of thing that makes a room look finished without trying too hard.",
    "I was worried it would look tired after a few months of daily use, but it's aged the way good things do: softer and more relaxed, not worn out.",
  ],
  outdoor: [
    'The real test was a [wet weekend in the Peak District|week of camping in Utah|ten-day road trip along the coast]. It got [rained on|dropped in the dirt|sat on] more than once and still works exactly as it did on day one.',
    "I've used it on [a dozen|twenty-odd|countless] days out since spring, from short dog walks to a 25 km ridge walk. It's the one thing I never have to think about packing.",
    "My old one lasted two seasons, so I'm judging this one harshly. So far it's ahead on every count.",
  ],
  kitchen: [
    'The real test was [Christmas dinner for twelve|a week of batch cooking|a birthday dinner for eight]: it was in use from morning to night and came out of it looking exactly the same.',
    "I've been cooking properly for about fifteen years and have gone through a lot of kit. This is one of maybe three things in my kitchen I would replace the same day if it broke.",
    'My [teenage son|flatmate|mother-in-law], who is not gentle with kitchen things, has been using it too, and it has survived that.',
  ],
};
const STORIES_BAD: Record<Category, readonly string[]> = {
  apparel: [
    'I gave it every chance: washed it exactly as the label says, cold and inside out, and dried it flat. It still looked tired within a month, and supermarket {nouns} I own have held up better.',
    "It let me down on exactly the kind of day I bought it for, which is the worst possible time. Up close it just doesn't look or feel like a premium piece.",
  ],
  home: [
    'I followed the care label to the letter and still ended up with something that looks years older than it is.',
    "For what it cost I expected it to be the nicest thing in the room. It isn't.",
  ],
  outdoor: [
    'It failed on exactly the kind of day it was bought for, which is the worst possible time for gear to let you down.',
    "I've had budget gear from the supermarket last longer than this.",
  ],
  kitchen: [
    'I know how to look after good kitchen kit, and I treated this carefully. It still let me down within weeks.',
    "For the price I expected something I could hand down one day. Instead I'm writing this review.",
  ],
};

type Form = 'short' | 'medium' | 'long' | 'special';

interface Planned {
  id: string;
  productId: string;
  voice: Voice;
  contactId: string;
  authorName: string | null;
  rating: number;
  title: string | null;
  body: string;
  created: number;
  status: ModerationStatus;
  verified: boolean;
  imported: boolean;
  shape: Form;
  photos: { seed: number; portrait: boolean; id: string; filename: string }[];
  video: boolean;
  reply: { message: string; date: number } | null;
  helpful: number;
  unhelpful: number;
}

/** Expands `[a|b|c]` choices, then `{name}` variables. */
function fill(template: string, rng: Rng, vars: Readonly<Record<string, string>>): string {
  return template
    .replace(/\[([^\]]*)\]/g, (_m, options: string) => rng.pick(options.split('|')))
    .replace(/\{(\w+)\}/g, (m, key: string) => vars[key] ?? m);
}

/** Lower-cases a sentence's first letter for use mid-sentence, leaving "I" and acronyms alone. */
function lowerFirst(s: string): string {
  return /^(I\b|I'|[A-Z]{2})/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1);
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "three months", or "two weeks" for a product that is new. */
function ownedFor(days: number): string {
  const months = Math.floor(days / 30);
  if (months >= 2) return `${NUMBERS[Math.min(months, 12)]} months`;
  if (months === 1) return 'a month';
  return `${NUMBERS[Math.max(2, Math.min(4, Math.floor(days / 7)))]} weeks`;
}

function personName(rng: Rng): string | null {
  const [firsts, lasts] = rng.pick(NAME_GROUPS);
  const first = rng.pick(firsts);
  const last = rng.pick(lasts);
  const u = rng.next();
  if (u < 0.45) return `${first} ${last}`;
  if (u < 0.85) return `${first} ${last.charAt(0)}.`;
  if (u < 0.975) return first;
  return null;
}

class Writer {
  private readonly used = new Set<string>();
  private readonly rng: Rng;
  constructor(rng: Rng) {
    this.rng = rng;
  }

  compose(voice: Voice, rating: number, shape: Exclude<Form, 'special'>, ownedDays: number): { title: string | null; body: string } {
    const time = ownedFor(ownedDays);
    const vars = {
      noun: voice.noun,
      nouns: voice.nouns,
      this: voice.noun === voice.nouns ? `these ${voice.noun}` : `this ${voice.noun}`,
      stuff: STUFF[voice.category],
      time,
      Time: capitalise(time),
    };
    let body = '';
    for (let attempt = 0; attempt < 12; attempt++) {
      body = shape === 'short' ? this.short(voice, rating, vars) : shape === 'medium' ? this.medium(voice, rating, vars) : this.long(voice, rating, vars);
      if (!this.used.has(body)) break;
    }
    if (this.used.has(body)) body = `${body} ${fill(this.rng.pick(byRating(CLOSERS, rating)), this.rng, vars)}`;
    this.used.add(body);
    return { title: this.title(voice, rating, vars, body), body };
  }

  private title(voice: Voice, rating: number, vars: Record<string, string>, body: string): string | null {
    if (this.rng.chance(0.14)) return null;
    // A specific complaint in the title must be one the body makes ("Runs small" needs "small").
    const own = rating >= 4 ? voice.titles.good : (rating === 3 ? voice.titles.mixed : voice.titles.bad).filter((t) => echoes(t, body));
    return fill(own.length && this.rng.chance(0.5) ? this.rng.pick(own) : this.rng.pick(byRating(TITLES, rating)), this.rng, vars);
  }

  private fit(rating: number): string {
    const rng = this.rng;
    const good = rating >= 4 || (rating === 3 && rng.chance(0.5));
    // Heights run short to tall within each unit; the size follows height and build.
    const h = rng.int(0, HEIGHTS.length - 1);
    const tallness = (h % 7) / 6;
    const build = rng.pick(BUILDS);
    const bulk = /broad|soft|curvy/.test(build) ? 1 : /slim|petite/.test(build) ? -1 : 0;
    const size = SIZES[Math.max(0, Math.min(SIZES.length - 1, Math.round(tallness * 3.4) + 1 + bulk + rng.int(-1, 0)))]!;
    return fill(rng.pick(FIT_LINES), rng, { h: HEIGHTS[h]!, build, size, fit: rng.pick(good ? FIT_GOOD : FIT_BAD) });
  }

  private short(voice: Voice, rating: number, vars: Record<string, string>): string {
    const rng = this.rng;
    const say = (t: string) => fill(t, rng, vars);
    if (rng.chance(0.45)) return say(rng.pick(byRating(SHORT, rating)));
    if (rating >= 4) return say(rng.pick(voice.pros));
    if (rating === 3) return `${say(rng.pick(byRating(SHORT, 3)))} ${say(rng.pick(voice.cons))}`;
    return say(rng.pick(voice.cons));
  }

  private medium(voice: Voice, rating: number, vars: Record<string, string>): string {
    const rng = this.rng;
    const say = (t: string) => fill(t, rng, vars);
    const s: string[] = [];
    if (rng.chance(0.75)) s.push(say(rng.pick(byRating(OPENERS, rating))));
    if (rating >= 4) {
      s.push(...rng.sample(voice.pros, rng.int(1, rating === 5 ? 3 : 2)).map(say));
      if (rating === 4) s.push(rng.pick(GRIPE_LEADS) + say(rng.pick(voice.gripes)));
    } else if (rating === 3) {
      s.push(say(rng.pick(voice.pros)), say(rng.pick(voice.cons)));
    } else {
      s.push(...rng.sample(voice.cons, rng.int(1, 2)).map(say));
      if (rating === 2 && rng.chance(0.5)) s.push(`To be fair, ${lowerFirst(say(rng.pick(voice.pros)))}`);
    }
    if (voice.uses.length && rng.chance(0.35)) s.splice(s.length > 1 ? 1 : 0, 0, say(rng.pick(voice.uses)));
    if (hasFit(voice) && rng.chance(0.5)) s.push(this.fit(rating));
    if (rng.chance(0.25)) s.push(rng.pick(rating >= 3 ? SHIPPING_GOOD : SHIPPING_BAD));
    if (rating <= 2 && rng.chance(0.3)) s.push(rng.pick(SERVICE_BAD));
    if (rng.chance(0.55)) s.push(say(rng.pick(byRating(CLOSERS, rating))));
    if (s.length >= 5 && rng.chance(0.4)) {
      const cut = Math.ceil(s.length / 2);
      return `${s.slice(0, cut).join(' ')}\n\n${s.slice(cut).join(' ')}`;
    }
    return s.join(' ');
  }

  /** Several paragraphs, usually 1,200 to 2,500 characters: enough for a "Read more" clamp. */
  private long(voice: Voice, rating: number, vars: Record<string, string>): string {
    const rng = this.rng;
    const say = (t: string) => fill(t, rng, vars);
    const pros = rng.shuffle([...voice.pros]).map(say);
    const cons = rng.shuffle([...voice.cons]).map(say);
    const care = voice.care ?? CARE[voice.category];
    const intro = [say(rng.pick(LONG_INTROS))];
    if (voice.uses.length) intro.push(say(rng.pick(voice.uses)));
    if (hasFit(voice)) intro.push(this.fit(rating));
    const paras: string[][] = [intro];
    if (rating >= 4) {
      paras.push([rng.pick(['The good stuff first.', 'Here is what I like.', 'Where it shines, in no particular order.', 'The details are what make it.']), ...pros.slice(0, 3)]);
      paras.push([...pros.slice(3, 5), say(rng.pick(care))]);
      if (pros.length >= 7) paras.push(pros.slice(5, 7));
      if (rating === 4 || rng.chance(0.5)) paras.push([rng.pick(GRIPE_LEADS) + say(rng.pick(voice.gripes))]);
    } else if (rating === 3) {
      paras.push(['The good first.', ...pros.slice(0, 2), say(rng.pick(care))]);
      paras.push(['Now the less good part.', ...cons.slice(0, 2), capitalise(say(rng.pick(voice.gripes)))]);
    } else {
      paras.push([say(rng.pick(["Here's what went wrong.", 'The problems started [almost immediately|within a couple of weeks].'])), ...cons.slice(0, 3)]);
      if (cons.length >= 5) paras.push(['And it gets worse.', ...cons.slice(3, 5)]);
      paras.push(['To be fair, there are good things about it.', ...pros.slice(0, 2)]);
    }
    const stories = rng.shuffle([...(rating >= 3 ? STORIES_GOOD : STORIES_BAD)[voice.category]]).map(say);
    // Most long reviews tell one story; some are properly long and tell two.
    paras.splice(2, 0, stories.splice(0, 1));
    if (rng.chance(0.3) && stories.length) paras.splice(paras.length - 1, 0, stories.splice(0, 1));
    const service = rating >= 4 ? (rng.chance(0.5) ? [rng.pick(SERVICE_GOOD)] : []) : rating <= 2 ? [rng.pick(SERVICE_BAD)] : [];
    paras.push([rng.pick(rating >= 3 ? SHIPPING_GOOD : SHIPPING_BAD), ...service]);
    const fillers = rng.shuffle([...(rating >= 4 ? FILLERS_GOOD : rating === 3 ? FILLERS_MIXED : FILLERS_BAD)]).map(say);
    const ending = [say(rng.pick(UPDATES[rating >= 4 ? 0 : rating === 3 ? 1 : 2])), say(rng.pick(byRating(CLOSERS, rating)))];
    const text = (ps: string[][]) => [...ps, ending].filter((p) => p.length).map((p) => p.join(' ')).join('\n\n');
    // Top up with general remarks, one sentence at a time, so every long review clears 1,200.
    const extra: string[] = [];
    paras.splice(paras.length - 1, 0, extra);
    while (text(paras).length < 1230 && fillers.length) extra.push(fillers.shift()!);
    while (text(paras).length > 2900 && paras.length > 2) paras.splice(paras.length - 2, 1);
    return text(paras);
  }
}

const TITLE_STOPWORDS = new Set(['after', 'with', 'that', 'this', 'from', 'went', 'does', 'just', 'only', 'worth', 'good', 'nice', 'fine', 'great', 'wash', 'week', 'weeks', 'month', 'days', 'bit']);

/** Whether a title shares a content word (compared by its first four letters) with the body. */
function echoes(title: string, body: string): boolean {
  const stems = (text: string) => text.toLowerCase().match(/[a-z]{4,}/g)?.filter((w) => !TITLE_STOPWORDS.has(w)).map((w) => w.slice(0, 4)) ?? [];
  const inBody = new Set(stems(body));
  return stems(title).some((stem) => inBody.has(stem));
}

const hasFit = (voice: Voice) => voice.category === 'apparel' && voice.kind !== 'socks';

/** Exactly the given shares of `n` (largest remainder), as a shuffled list of ratings. */
function ratingsFor(n: number, mix: Voice['mix'], rng: Rng): number[] {
  const total = mix.reduce((a, b) => a + b, 0);
  const exact = mix.map((w) => (w / total) * n);
  const counts = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; counts.reduce((a, b) => a + b, 0) < n; k++) counts[order[k]![1]]!++;
  return rng.shuffle(counts.flatMap((c, i) => Array<number>(c).fill(5 - i)));
}

const roundToSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

/** A review date within the product's time on sale, denser towards the present. */
function dateWithin(age: number, rng: Rng): number {
  const daysAgo = Math.max(age * rng.next() ** 1.3, 0.05);
  return roundToSecond(BASE_DATE - daysAgo * DAY - rng.int(0, 3599) * 1000);
}

// ---------------------------------------------------------------------------
// Hand-written reviews: other languages, the moderation queue, spam
// ---------------------------------------------------------------------------

interface HandWritten {
  product: string;
  status: ModerationStatus;
  rating: number;
  title: string | null;
  body: string;
  author: string;
  daysAgo: number;
  verified: boolean;
  photos?: number;
  reply?: string;
}

const HAND_WRITTEN: readonly HandWritten[] = [
  // Other languages, including two written right to left.
  {
    product: 'wool-overshirt',
    status: 'APPROVED',
    rating: 5,
    title: 'Endlich ein Overshirt, das wirklich wärmt',
    body: 'Ich trage normalerweise Größe M und habe auch M genommen – passt perfekt, auch mit einem dünnen Pullover darunter. Die Wolle kratzt überhaupt nicht, und nach drei Wochen fast täglichem Tragen gibt es noch keine Knötchen.\n\nDer Versand nach Deutschland hat sechs Tage gedauert, Zollgebühren musste ich keine zahlen. Klare Kaufempfehlung!',
    author: 'Katrin Wagner',
    daysAgo: 41.3,
    verified: true,
  },
  {
    product: 'cast-iron-skillet',
    status: 'APPROVED',
    rating: 4,
    title: 'Schwer, aber genial',
    body: 'Die Pfanne ist wirklich schwer, das sollte man wissen. Dafür brät sie Steaks wunderbar gleichmäßig an und kann problemlos in den Backofen. Die Werkseinbrennung war okay, ich habe sie trotzdem noch zweimal selbst eingebrannt. Einen Stern Abzug gibt es, weil der Griff ohne Topflappen sehr heiß wird.',
    author: 'Matthias K.',
    daysAgo: 203.6,
    verified: true,
  },
  {
    product: 'organic-cotton-tee',
    status: 'APPROVED',
    rating: 5,
    title: 'La mejor camiseta básica que he tenido',
    body: 'El algodón es grueso pero suave, y no se transparenta aunque sea de color claro. Después de diez lavados no ha encogido ni se ha deformado el cuello. Tallan un poco grande: normalmente uso una M y la S me queda perfecta. Ya pedí dos más en otros colores.',
    author: 'Lucía Fernández',
    daysAgo: 77.2,
    verified: true,
  },
  {
    product: 'packable-rain-jacket',
    status: 'APPROVED',
    rating: 2,
    title: 'Bonita, pero no aguanta la lluvia fuerte',
    body: 'Para la llovizna está bien y se guarda en su propio bolsillo, lo cual es muy práctico. Pero con lluvia fuerte, después de media hora se me mojaron los hombros por dentro. Escribí al servicio de atención al cliente y me respondieron rápido, aunque por este precio esperaba bastante más.',
    author: 'Javier M.',
    daysAgo: 119.4,
    verified: true,
    reply: 'Gracias por tu reseña, Javier, y lo sentimos mucho. El problema de los hombros viene de un lote de cinta de costuras que ya hemos cambiado; te hemos escrito por correo para ofrecerte una chaqueta nueva o el reembolso. — Marta, Atención al cliente',
  },
  {
    product: 'linen-duvet-cover',
    status: 'APPROVED',
    rating: 5,
    title: 'Un linge de lit magnifique',
    body: 'Le lin est épais, légèrement froissé comme il faut, et il devient plus doux à chaque lavage. La couleur correspond exactement aux photos. Les boutons en noix de coco sont solides et la housse est assez grande pour une couette de 240 × 220.\n\nLivraison rapide et emballage sans plastique, merci !',
    author: 'Camille Dubois',
    daysAgo: 154.8,
    verified: false,
  },
  {
    product: 'stoneware-mug-set',
    status: 'APPROVED',
    rating: 5,
    title: '毎朝使っています',
    body: '手に持ったときの重さがちょうどよく、釉薬の色むらも一つひとつ違っていて気に入っています。食洗機と電子レンジで三か月使っていますが、欠けやひびはありません。容量は約350mlで、カフェラテにぴったりです。梱包もしっかりしていて、割れずに届きました。',
    author: '佐藤 美咲',
    daysAgo: 96.1,
    verified: true,
    photos: 2,
  },
  {
    product: 'insulated-bottle-750',
    status: 'APPROVED',
    rating: 4,
    title: 'تحافظ على برودة الماء طوال اليوم',
    body: 'استخدمت الزجاجة في الصيف خلال رحلة عمل في الرياض، وبقي الماء باردًا لأكثر من عشرين ساعة. الغطاء محكم ولا يسرّب حتى داخل الحقيبة. الشيء الوحيد الذي لم يعجبني أن الفوهة واسعة قليلًا عند الشرب أثناء المشي. بشكل عام، أنصح بها.',
    author: 'نورة العتيبي',
    daysAgo: 62.5,
    verified: true,
  },
  {
    product: 'trail-daypack-22l',
    status: 'APPROVED',
    rating: 5,
    title: 'תיק מושלם לטיולי יום',
    body: 'לקחתי את התיק לטיול של יומיים בגליל והוא היה נוח מאוד גם אחרי שמונה שעות הליכה. יש מקום לשלוקר של שני ליטר, והכיסים הצדדיים מחזיקים בקבוק בלי שייפול. הבד עמיד ושרד כבר לא מעט חיכוך בסלעים. ממליץ בחום!',
    author: 'יואב כהן',
    daysAgo: 133.7,
    verified: false,
  },
  // The moderation queue: a link, a phone number, an e-mail address, a promo code, a
  // competitor, shouting, swearing, and one that simply arrived a few hours ago.
  {
    product: 'wool-overshirt',
    status: 'IN_MODERATION',
    rating: 4,
    title: 'Tested against three other overshirts',
    body: 'I put this side by side with three other wool overshirts for a month and wrote the whole comparison up, with photos, here: https://threadcount-journal.example/overshirt-showdown\n\nShort version: this one has the best buttons and the softest wool, but the sleeves run long and it is the second most expensive of the four.',
    author: 'Theo Brandt',
    daysAgo: 2.6,
    verified: false,
  },
  {
    product: 'packable-rain-jacket',
    status: 'IN_MODERATION',
    rating: 1,
    title: 'Leaked on day one, no reply from support',
    body: "Wore it once in proper rain and the shoulders soaked through. I've emailed support twice this week about a refund and heard nothing back. Please call me on (415) 555-0142 or reply to order #58213. I just want my money back.",
    author: 'Dana Whitfield',
    daysAgo: 1.2,
    verified: true,
  },
  {
    product: 'cast-iron-skillet',
    status: 'IN_MODERATION',
    rating: 5,
    title: 'First cook: smash burgers',
    body: 'Arrived yesterday, gave it one more round of seasoning in the oven and made smash burgers tonight. Beautiful crust, nothing stuck. Will update after a month of daily use.',
    author: 'Marcus Lee',
    daysAgo: 0.3,
    verified: true,
  },
  {
    product: 'organic-cotton-tee',
    status: 'IN_MODERATION',
    rating: 2,
    title: 'SHRANK AGAIN',
    body: "THIRD ONE I'VE BOUGHT AND IT SHRANK AGAIN. Washed cold, hung to dry, followed every instruction on the label. Why do I keep doing this to myself.",
    author: 'Kevin R.',
    daysAgo: 1.9,
    verified: true,
  },
  {
    product: 'insulated-bottle-750',
    status: 'IN_MODERATION',
    rating: 5,
    title: 'Love it (and a tip)',
    body: "Best bottle I've owned; the ice lasts all day at the beach. Tip: a friend's referral code JESS15 took 15% off at checkout, so ask around before you pay full price!",
    author: 'Aaliyah Brooks',
    daysAgo: 4.4,
    verified: false,
  },
  {
    product: 'linen-duvet-cover',
    status: 'IN_MODERATION',
    rating: 3,
    title: 'Nice, but not as soft as my old one',
    body: "It's a nice cover and the colour is lovely, but honestly the one I had from Parachute was softer straight out of the box. This one is getting there after three washes. Fair price compared with theirs, though.",
    author: 'Hannah Kowalski',
    daysAgo: 5.1,
    verified: true,
  },
  {
    product: 'trail-daypack-22l',
    status: 'IN_MODERATION',
    rating: 4,
    title: 'Great on long torsos',
    body: `I'm 6'4" with a long back and the hip belt still sits on my hips, which almost never happens. Happy to answer questions about the fit: drop me a line at sam.rivera.hikes@example.com.`,
    author: 'Sam Rivera',
    daysAgo: 6.8,
    verified: false,
  },
  {
    product: 'stoneware-mug-set',
    status: 'IN_MODERATION',
    rating: 1,
    title: 'Handles fell off',
    body: 'Two of the damn handles snapped clean off in the dishwasher in week one. Rubbish glue job, or whatever holds them on. Absolute joke for the price.',
    author: 'Gareth P.',
    daysAgo: 8.2,
    verified: true,
  },
  // Spam the owner rejected.
  {
    product: 'organic-cotton-tee',
    status: 'REJECTED',
    rating: 5,
    title: 'CHEAP DESIGNER TEES 90% OFF',
    body: 'Why pay full price?? Designer replica tees from $4.99 at cheap-brand-outlet.example !!! Free shipping worldwide, today only, click now!!!',
    author: 'Best Deals Outlet',
    daysAgo: 211.4,
    verified: false,
  },
  {
    product: 'cast-iron-skillet',
    status: 'REJECTED',
    rating: 5,
    title: 'Earn $500 a day from home',
    body: 'I was skeptical too but now I make $500 a day from my kitchen table. Visit quick-cash-daily.example and start today, no experience needed.',
    author: 'Jennifer Works From Home',
    daysAgo: 160.2,
    verified: false,
  },
  {
    product: 'insulated-bottle-750',
    status: 'REJECTED',
    rating: 5,
    title: 'FREE CRYPTO GIVEAWAY',
    body: 'Nice bottle. Follow my page for a free crypto giveaway, 1000 winners, link in bio 🚀🚀🚀',
    author: 'crypto_king_88',
    daysAgo: 95.7,
    verified: false,
  },
  {
    product: 'wool-overshirt',
    status: 'REJECTED',
    rating: 1,
    title: 'overshirt overshirt wool overshirt buy',
    body: 'wool overshirt best wool overshirt cheap overshirt sale overshirt men overshirt women buy overshirt online free shipping overshirt discount overshirt',
    author: 'SEO Services',
    daysAgo: 302.9,
    verified: false,
  },
];

// ---------------------------------------------------------------------------
// The plan: every row decided up front, from the seeds alone
// ---------------------------------------------------------------------------

interface Plan {
  reviews: Planned[];
  contacts: { id: string; name: string | null; email: string; created: number }[];
  votes: { reviewId: string; visitorId: string; vote: 1 | -1; created: number }[];
}

function buildPlan(): Plan {
  const rng = new Rng(SEED);
  // Ids come from their own stream, so editing review text doesn't renumber everything.
  const ids = new Rng(SEED ^ 0x1d5);
  const writer = new Writer(rng);
  const reviews: Planned[] = [];
  const contacts: Plan['contacts'] = [];
  const newContact = (name: string | null) => {
    const id = ids.uuid();
    const local = (name ?? 'customer')
      .normalize('NFD')
      .replace(/[^A-Za-z ]/g, '')
      .trim()
      .toLowerCase()
      .replace(/\s+/g, '.');
    contacts.push({ id, name, email: `${local || 'customer'}.${contacts.length + 1}@example.com`, created: 0 });
    return id;
  };
  const base = (p: (typeof PRODUCTS)[number], contactId: string, authorName: string | null, rating: number, created: number): Planned => ({
    id: ids.uuid(),
    productId: p.id,
    voice: p.voice,
    contactId,
    authorName,
    rating,
    title: null,
    body: '',
    created,
    status: 'APPROVED',
    verified: false,
    imported: false,
    shape: 'medium',
    photos: [],
    video: false,
    reply: null,
    helpful: 0,
    unhelpful: 0,
  });

  // Some customers come back and review a second or third product.
  const regulars: { contactId: string; name: string | null; products: Set<string> }[] = [];
  for (const product of PRODUCTS) {
    const voice = product.voice;
    for (const rating of ratingsFor(voice.count, voice.mix, rng)) {
      let who = regulars.length > 20 && rng.chance(0.1) ? rng.pick(regulars) : undefined;
      if (who?.products.has(product.id)) who = undefined;
      if (!who) {
        const name = personName(rng);
        who = { contactId: newContact(name), name, products: new Set() };
        regulars.push(who);
      }
      who.products.add(product.id);
      const shape: Form = rng.chance(0.13) ? 'long' : rng.chance(0.29) ? 'short' : 'medium';
      // Long write-ups come from people who have had the thing for a while.
      const settled = shape === 'long' && voice.age > 120 ? 60 : 0;
      const created = dateWithin(voice.age - settled, rng);
      const review = base(product, who.contactId, who.name, rating, created);
      const owned = voice.age - (BASE_DATE - created) / DAY;
      Object.assign(review, writer.compose(voice, rating, shape, Math.max(owned, shape === 'long' ? 60 : 14)), { shape, verified: rng.chance(0.6) });
      reviews.push(review);
    }
  }
  for (const h of HAND_WRITTEN) {
    const product = PRODUCTS.find((p) => p.id === h.product)!;
    const created = roundToSecond(BASE_DATE - h.daysAgo * DAY);
    const review = base(product, newContact(h.author), h.author, h.rating, created);
    Object.assign(review, { title: h.title, body: h.body, status: h.status, verified: h.verified, shape: 'special' });
    if (h.reply) review.reply = { message: h.reply, date: roundToSecond(created + 1.4 * DAY) };
    reviews.push(review);
  }
  const approved = reviews.filter((r) => r.status === 'APPROVED');
  const generated = approved.filter((r) => r.shape !== 'special');

  // Two older reviews came over from a previous review app.
  for (const productId of ['organic-cotton-tee', 'cast-iron-skillet']) {
    const oldest = generated.filter((r) => r.productId === productId && r.rating >= 4).sort((a, b) => a.created - b.created)[0]!;
    oldest.imported = true;
    oldest.verified = true;
  }

  // Photos: about 30 reviews, favouring detailed and enthusiastic ones.
  const photoScore = (r: Planned) => rng.next() * (1 + (r.shape === 'long' ? 2 : 0) + (r.rating === 5 ? 0.6 : 0) + (r.verified ? 0.3 : 0));
  const withPhotos = generated
    .map((r) => [photoScore(r), r] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, 29)
    .map(([, r]) => r);
  withPhotos.push(...approved.filter((r) => r.shape === 'special' && HAND_WRITTEN.find((h) => h.author === r.authorName)?.photos));
  for (const r of withPhotos) {
    const n = HAND_WRITTEN.find((h) => h.author === r.authorName)?.photos ?? (rng.chance(0.5) ? 1 : rng.chance(0.6) ? 2 : 3);
    const upright = ['bottle', 'pack', 'mugs', 'lantern', 'dripper'].includes(r.voice.kind);
    for (let i = 0; i < n; i++) {
      r.photos.push({
        seed: rng.int(1, 2 ** 31 - 1),
        portrait: rng.chance(upright ? 0.55 : 0.3),
        id: `${ids.uuid()}.png`,
        filename: `IMG_${rng.int(1000, 9999)}.png`,
      });
    }
  }

  // Three reviews link a short outdoor clip (an external video URL).
  for (const productId of ['insulated-bottle-750', 'trail-daypack-22l', 'camp-lantern']) {
    const candidates = generated.filter((x) => x.productId === productId && x.rating >= 4 && !x.photos.length);
    const r = candidates.find((x) => x.shape !== 'short') ?? candidates[0];
    if (!r) continue;
    r.video = true;
    r.body += '\n\nI added a short clip from the garden where I tested it.';
  }

  // Merchant replies: about one review in ten, mostly on the unhappy ones.
  const replyChance = [0.04, 0.05, 0.2, 0.4, 0.4];
  for (const r of generated) {
    if (!rng.chance(replyChance[5 - r.rating]!)) continue;
    const first = r.authorName && /^[A-Za-zÀ-ÿ]/.test(r.authorName) ? r.authorName.split(' ')[0]! : null;
    const vars = { name: first ? `, ${first}` : '', noun: r.voice.noun };
    const say = (pool: readonly string[]) => fill(rng.pick(pool), rng, vars);
    let message: string;
    if (r.rating >= 4) message = say(REPLY_THANKS) + (r.photos.length ? ' And thank you for the photos!' : '');
    else {
      // Answer the complaint the reviewer actually made, when there is a known fix for it.
      const fix = r.voice.fixes.find(([pattern]) => pattern.test(r.body))?.[1];
      if (r.rating === 3) message = fix ? `${say(['Thank you for the honest feedback{name}.'])} ${fix}` : say(REPLY_MIXED);
      else message = `${say(REPLY_SORRY)} ${fix ?? rng.pick(REPLY_GENERIC_FIX)}`;
    }
    const date = Math.min(roundToSecond(r.created + (0.2 + rng.next() * 3.8) * DAY), BASE_DATE - 1_800_000);
    r.reply = { message: `${message} — ${rng.pick(REPLY_SIGNOFFS)}`, date: Math.max(date, r.created) };
  }

  // Helpfulness: detailed reviews with photos rise to the top; most get a vote or two.
  const merit = (r: Planned) =>
    1 + (r.shape === 'long' ? 3 : r.shape === 'medium' ? 0.8 : 0) + r.photos.length * 1.2 + (r.verified ? 0.5 : 0) + (r.video ? 1 : 0);
  const ranked = approved.map((r) => [merit(r) * (0.5 + rng.next()), r] as const).sort((a, b) => b[0] - a[0]);
  ranked.forEach(([, r], rank) => {
    if (rank < 10) {
      r.helpful = Math.max(10, 40 - rank * 3 - rng.int(0, 5));
      r.unhelpful = rng.int(0, 3);
    } else if (rank < 32) {
      r.helpful = rng.int(4, 9);
      r.unhelpful = rng.chance(0.3) ? 1 : 0;
    } else {
      const u = rng.next();
      r.helpful = u < 0.45 ? 0 : u < 0.7 ? 1 : u < 0.88 ? 2 : 3;
      r.unhelpful = rng.chance(0.12) ? (rng.chance(0.25) ? 2 : 1) : 0;
    }
  });
  // A few terse one-liners that readers found useless.
  for (const r of rng.sample(approved.filter((x) => x.shape === 'short' && (x.rating === 1 || x.rating === 5)), 4)) {
    r.helpful = rng.int(0, 2);
    r.unhelpful = rng.int(3, 8);
  }
  const visitors = Array.from({ length: 1200 }, () => ids.uuid());
  const votes: Plan['votes'] = [];
  for (const r of approved) {
    const voters = rng.sample(visitors, r.helpful + r.unhelpful);
    voters.forEach((visitorId, i) => {
      votes.push({
        reviewId: r.id,
        visitorId,
        vote: i < r.helpful ? 1 : -1,
        created: roundToSecond(r.created + rng.next() * (BASE_DATE - r.created)),
      });
    });
  }

  // Contacts exist from their first review (or a little before it).
  const firstSeen = new Map<string, number>();
  for (const r of reviews) firstSeen.set(r.contactId, Math.min(firstSeen.get(r.contactId) ?? Infinity, r.created));
  for (const c of contacts) c.created = roundToSecond(firstSeen.get(c.id)! - rng.int(60, 3 * 86_400) * 1000);

  reviews.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1));
  return { reviews, contacts, votes };
}

// ---------------------------------------------------------------------------
// Writing it
// ---------------------------------------------------------------------------

const OWNER_CONFIG: ReviewsConfig = { moderation: 'off', blockWords: [] };
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Loads the demo data set into an empty (or demo-free) database, in one transaction.
 * Throws if the demo reviews are already there.
 */
export async function seedDemo(db: Db): Promise<{ products: number; reviews: number; images: number; ratings: number; orders: number; reviewRequests: number }> {
  const plan = buildPlan();
  const ratings = planRatings(plan.reviews);
  const first = plan.reviews[0]!;
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM reviews WHERE id = $1', [first.id]);
  if (Number(rows[0]!.n) > 0) throw new Error('The demo data set is already in this database');
  // Read (or create) the link-signing secret before the transaction: it is cached per database.
  const secret = await tokenSecret(db);

  let images = 0;
  let store = { orders: 0, reviewRequests: 0 };
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO contacts (id, email, name, created_date)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])`,
      [plan.contacts.map((c) => c.id), plan.contacts.map((c) => c.email), plan.contacts.map((c) => c.name), plan.contacts.map((c) => iso(c.created))],
    );
    for (const r of plan.reviews) {
      const media: MediaInput[] = [];
      for (const [i, photo] of r.photos.entries()) {
        await storePhoto(tx, r, photo, i);
        images++;
        media.push({ image: { id: photo.id, altText: r.photos.length > 1 ? `${r.voice.photo} (photo ${i + 1} of ${r.photos.length})` : r.voice.photo } });
      }
      if (r.video) media.push({ video: { url: VIDEO_URL } });
      const input: CreateReviewInput = CreateReviewInputSchema.parse({
        namespace: NAMESPACE,
        entityId: r.productId,
        author: { contactId: r.contactId, authorName: r.authorName },
        content: { rating: r.rating, title: r.title, body: r.body, ...(media.length ? { media } : {}) },
        reviewDate: iso(r.created),
        verified: r.verified,
        ...(r.imported ? { origin: { type: 'APP', appId: 'judgeme-import' } } : {}),
      });
      await createReview(tx, input, {
        caller: { owner: true },
        config: OWNER_CONFIG,
        mediaBase: '',
        id: r.id,
        createdDate: new Date(r.created),
        status: r.status,
      });
      if (r.reply) {
        await setReply(tx, r.id, r.reply.message, '');
        // setReply stamps the wall clock; the demo wants the reply a day or two after the review.
        await tx.query('UPDATE reviews SET reply_created_date = $2, reply_updated_date = $2, updated_date = $2 WHERE id = $1', [r.id, iso(r.reply.date)]);
      }
    }
    await importRatings(tx, ratings);
    if (plan.votes.length) {
      await tx.query(
        `INSERT INTO helpful_votes (review_id, visitor_id, vote, created_date)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int2[], $4::timestamptz[])`,
        [plan.votes.map((v) => v.reviewId), plan.votes.map((v) => v.visitorId), plan.votes.map((v) => v.vote), plan.votes.map((v) => iso(v.created))],
      );
      await tx.query(
        `UPDATE reviews r SET found_helpful = v.helpful, found_unhelpful = v.unhelpful
         FROM (SELECT review_id, count(*) FILTER (WHERE vote = 1)::int AS helpful, count(*) FILTER (WHERE vote = -1)::int AS unhelpful
               FROM helpful_votes WHERE review_id = ANY($1::text[]) GROUP BY review_id) v
         WHERE r.id = v.review_id`,
        [plan.reviews.map((r) => r.id)],
      );
    }
    store = await seedStore(tx, plan, secret);
  });
  return { products: DEMO_PRODUCTS.length, reviews: plan.reviews.length, images, ratings: ratings.length, ...store };
}

// ---------------------------------------------------------------------------
// Catalog, orders and review requests (reviews/v2)
// ---------------------------------------------------------------------------

/** The review page as `npm start` serves it. */
const DEMO_REVIEW_PAGE = 'http://localhost:8787/review-request.html';

/**
 * The catalog (every demo product, priced), four customers with orders, and one review
 * request in each status, made by the same functions the API uses, each at its time:
 * - SENT, opened, one item reviewed through it (an existing verified review);
 * - SENT, not yet opened, with a working link in the outbox;
 * - FAILED: the customer has no e-mail address (a phone order);
 * - CANCELED by the owner before it went out;
 * - SCHEDULED (order only: the five most expensive of six items), years ahead, so a demo
 *   server never sends it.
 */
async function seedStore(tx: Queryable, plan: Plan, secret: Buffer): Promise<{ orders: number; reviewRequests: number }> {
  const ids = new Rng(SEED ^ 0x0a11);
  const at = (days: number) => new Date(BASE_DATE + days * DAY);
  const owner = { wixUserId: 'owner' };
  for (const p of DEMO_PRODUCTS) {
    await writeProduct(tx, ProductInputSchema.parse({ id: p.id, name: p.name, price: { amount: p.price.toFixed(2), currency: p.currency } }), at(-548));
  }
  const people = [
    { id: ids.uuid(), name: 'Maya Lindqvist', email: 'maya.lindqvist@example.com' },
    { id: ids.uuid(), name: 'Priya Natarajan', email: 'priya.natarajan@example.com' },
    { id: ids.uuid(), name: 'Jonas Berg', email: 'jonas.berg@example.com' },
    { id: ids.uuid(), name: 'Tomás Ortega', email: null },
  ] as const;
  const [maya, priya, jonas, tomas] = people;
  await tx.query(
    `INSERT INTO contacts (id, email, name, created_date) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])`,
    [people.map((c) => c.id), people.map((c) => c.email), people.map((c) => c.name), people.map(() => at(-30))],
  );
  const order = async (number: number, email: string, name: string | null, items: readonly string[], created: Date) =>
    writeOrder(tx, OrderInputSchema.parse({ id: ids.uuid(), number, contact: { email, name }, items: items.map((catalogItemId) => ({ catalogItemId })), createdDate: created.toISOString() }), created);
  const ctx = (now: Date, ttlMs = 30 * DAY): SendingContext => ({
    sender: outboxSender(),
    now,
    secret,
    ttlMs,
    storeName: 'Storefront Demo',
    pageUrl: DEMO_REVIEW_PAGE,
  });
  const send = async (now: Date, expected: 'SENT' | 'FAILED', ttlMs?: number) => {
    const done = await sendNextDue(tx, ctx(now, ttlMs));
    if (!done || !('updated' in done) || done.updated.status !== expected) throw new Error(`demo review request: expected ${expected}, got ${JSON.stringify(done)}`);
    return done.updated;
  };
  const request = (input: { order?: string; items?: string[]; contactId: string; sendDate: Date }, created: Date) =>
    createReviewRequest(
      tx,
      {
        ...(input.order ? { order: { id: input.order } } : {}),
        ...(input.items ? { items: input.items.map((catalogItemId) => ({ catalogItemId })) } : {}),
        recipient: { contactId: input.contactId },
        communicationChannel: 'EMAIL',
        sendDate: input.sendDate.toISOString(),
      },
      { now: created, requestedBy: owner, id: ids.uuid() },
    );

  // A verified customer who bought two things and reviewed one through the request.
  const reviewed = plan.reviews.find((r) => r.verified && !r.imported && r.status === 'APPROVED' && r.created < BASE_DATE - 120 * DAY)!;
  const buyer = plan.contacts.find((c) => c.id === reviewed.contactId)!;
  const other = DEMO_PRODUCTS.find((p) => p.id !== reviewed.productId && p.id !== 'ceramic-pour-over')!;
  const first = await order(1001, buyer.email, buyer.name, [reviewed.productId, other.id], new Date(reviewed.created - 20 * DAY));
  await request({ order: first.id, contactId: buyer.id, sendDate: new Date(reviewed.created - 7 * DAY) }, new Date(reviewed.created - 19 * DAY));
  const sent = await send(new Date(reviewed.created - 7 * DAY), 'SENT');
  const index = sent.items.findIndex((i) => i.catalogItemId === reviewed.productId);
  // The customer opened the link, then wrote the review the plan already holds.
  await tx.query(
    `UPDATE review_requests SET opened = true, item_review_ids[$2] = $3, revision = revision + 2, updated_date = $4 WHERE id = $1`,
    [sent.id, index + 1, reviewed.id, new Date(reviewed.created)],
  );

  // Sent five days ago and not opened yet: its outbox link opens the demo review page.
  // The link's lifetime runs from the real clock, so it works whenever the demo is seeded.
  const second = await order(1042, maya.email, maya.name, ['wool-overshirt', 'merino-crew-socks', 'stoneware-mug-set'], at(-12));
  await request({ order: second.id, contactId: maya.id, sendDate: at(-5) }, at(-11));
  await send(at(-5), 'SENT', Math.max(30 * DAY, Date.now() + 30 * DAY - at(-5).getTime()));

  // A phone order: no e-mail address, so sending fails.
  await request({ items: ['ceramic-pour-over'], contactId: tomas.id, sendDate: at(-4) }, at(-6));
  await send(at(-4), 'FAILED');

  // Both order and items: only the skillet of this order; then canceled by the owner.
  const third = await order(1043, priya.email, priya.name, ['cast-iron-skillet', 'chefs-knife-8in'], at(-9));
  const canceled = await request({ order: third.id, items: ['cast-iron-skillet'], contactId: priya.id, sendDate: at(5) }, at(-8));
  await cancelScheduled(tx, { id: canceled.id }, at(-1), null);

  // Order only: the five most expensive of its six items.
  const fourth = await order(
    1044,
    jonas.email,
    jonas.name,
    ['organic-cotton-tee', 'packable-rain-jacket', 'trail-daypack-22l', 'camp-lantern', 'insulated-bottle-750', 'linen-duvet-cover'],
    at(-2),
  );
  await request({ order: fourth.id, contactId: jonas.id, sendDate: at(3650) }, at(-2));
  return { orders: 4, reviewRequests: 5 };
}

/**
 * Attribute ratings (Ratings API, namespace `reviews`): most reviewers also rate quality
 * and value, and fit for clothes, in whole stars stored as 20-100. Each is linked to its
 * review and owned by its author, so ratings of reviews in moderation do not count yet.
 * Drawn from a stream of their own, so the reviews stay as they were.
 */
function planRatings(reviews: readonly Planned[]): ImportedRating[] {
  const rng = new Rng(SEED ^ 0x7a71);
  const out: ImportedRating[] = [];
  for (const r of reviews) {
    if (!rng.chance(0.8)) continue;
    const price = PRODUCTS.find((p) => p.id === r.productId)!.price;
    for (const attributeName of ['quality', 'value', ...(hasFit(r.voice) ? ['fit'] : [])]) {
      // Close to the review's stars; pricey things lose a little on value, and fit is hit and miss.
      let stars = r.rating + (rng.chance(0.15) ? 1 : 0) - (rng.chance(0.15) ? 1 : 0);
      if (attributeName === 'value' && price >= 120 && rng.chance(0.3)) stars--;
      if (attributeName === 'fit' && rng.chance(0.25)) stars--;
      out.push({
        id: rng.uuid(),
        namespace: 'reviews',
        group: NAMESPACE,
        entityId: r.productId,
        attributeName,
        value: Math.min(5, Math.max(1, stars)) * 20,
        owner: { contactId: r.contactId },
        relatedEntityIds: [r.id],
        createdDate: new Date(r.created),
      });
    }
  }
  return out;
}

/** Draws a photo, stores it through the upload path, then gives it a deterministic id and date. */
async function storePhoto(tx: Queryable, r: Planned, photo: Planned['photos'][number], index: number): Promise<void> {
  const bytes = renderPhoto({
    kind: r.voice.kind,
    category: r.voice.category,
    color: PRODUCTS.find((p) => p.id === r.productId)!.color,
    portrait: photo.portrait,
    seed: photo.seed,
  });
  const stored = await storeImage(tx, bytes, photo.filename);
  await tx.query('UPDATE media SET id = $2, created_date = $3 WHERE id = $1', [stored.id, photo.id, iso(r.created - (index + 1) * 60_000)]);
}
// ---------------------------------------------------------------------------
// Photos: small deterministic PNG "snapshots" of the product in a scene
// ---------------------------------------------------------------------------

type SceneKind = 'tee' | 'shirt' | 'jacket' | 'socks' | 'duvet' | 'mugs' | 'bottle' | 'pack' | 'skillet' | 'knife' | 'lantern' | 'dripper';
type Rgb = readonly [number, number, number];

function hexRgb(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const scale = (c: Rgb, f: number): Rgb => [c[0] * f, c[1] * f, c[2] * f];
const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

/** A region in the product's local coordinates (about 300 x 300 units around the origin, y down). */
interface Shape {
  box: readonly [number, number, number, number];
  hit(x: number, y: number): boolean;
}

function poly(points: readonly (readonly [number, number])[]): Shape {
  const n = points.length;
  const px = Float64Array.from(points, (p) => p[0]);
  const py = Float64Array.from(points, (p) => p[1]);
  const box = [Math.min(...px), Math.min(...py), Math.max(...px), Math.max(...py)] as const;
  return {
    box,
    hit(x, y) {
      if (x < box[0] || x > box[2] || y < box[1] || y > box[3]) return false;
      let inside = false;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const yi = py[i]!;
        const yj = py[j]!;
        if (yi > y !== yj > y && x < ((px[j]! - px[i]!) * (y - yi)) / (yj - yi) + px[i]!) inside = !inside;
      }
      return inside;
    },
  };
}

function ellipse(cx: number, cy: number, rx: number, ry: number): Shape {
  return {
    box: [cx - rx, cy - ry, cx + rx, cy + ry],
    hit: (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1,
  };
}

function rrect(x0: number, y0: number, x1: number, y1: number, r: number): Shape {
  return {
    box: [x0, y0, x1, y1],
    hit(x, y) {
      if (x < x0 || x > x1 || y < y0 || y > y1) return false;
      const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
      const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
      return dx * dx + dy * dy <= r * r;
    },
  };
}

/** An annulus, optionally clipped to one side of a horizontal or vertical line. */
function ring(cx: number, cy: number, inner: number, outer: number, keep?: (x: number, y: number) => boolean): Shape {
  return {
    box: [cx - outer, cy - outer, cx + outer, cy + outer],
    hit(x, y) {
      const d = (x - cx) ** 2 + (y - cy) ** 2;
      return d <= outer * outer && d >= inner * inner && (!keep || keep(x, y));
    },
  };
}

function mirror(points: readonly (readonly [number, number])[]): [number, number][] {
  return points.map(([x, y]) => [-x, y]);
}

interface Layer {
  shape: Shape;
  /** Colour at a local point; `ny` runs 0 (top of the shape) to 1 (bottom). */
  color: Rgb | ((x: number, y: number) => Rgb);
  alpha?: number;
  /** Drop shadow: drawn dark, offset in pixels, before everything else. */
  shadow?: boolean;
}

interface Scene {
  layers: Layer[];
  /** Objects that stand up get a floor line and a contact shadow; flat-lays a drop shadow. */
  upright: boolean;
  /** Local y of the object's base (upright objects). */
  base: number;
  /** Half-width of the contact shadow. */
  footprint: number;
  glow?: { x: number; y: number; r: number; color: Rgb };
}

/** Shading for a body: lighter top-left, darker bottom-right, like a window on the left. */
function lit(c: Rgb, box: readonly [number, number, number, number], strength = 0.22): (x: number, y: number) => Rgb {
  const [x0, y0, x1, y1] = box;
  // Called for every covered pixel: one reused result instead of an allocation per call.
  const out: [number, number, number] = [0, 0, 0];
  return (x, y) => {
    const u = (x - x0) / (x1 - x0 || 1) - 0.5;
    const v = (y - y0) / (y1 - y0 || 1) - 0.5;
    const f = 1 + strength * (-0.6 * u - 0.8 * v);
    const t = Math.min(1, (f - 1) * 0.9);
    for (let k = 0; k < 3; k++) out[k] = f > 1 ? c[k]! + (255 - c[k]!) * t : c[k]! * f;
    return out;
  };
}

function body(shape: Shape, c: Rgb, strength?: number): Layer {
  return { shape, color: lit(c, shape.box, strength) };
}

function sceneFor(kind: SceneKind, color: Rgb): Scene {
  const dark = scale(color, 0.72);
  const darker = scale(color, 0.55);
  const light = mix(color, WHITE, 0.25);
  switch (kind) {
    case 'tee': {
      const half: [number, number][] = [[-30, -105], [-72, -96], [-130, -46], [-104, -12], [-78, -34], [-78, 105]];
      const outline = poly([...half, ...mirror(half).reverse(), [18, -92], [0, -88], [-18, -92]]);
      return {
        upright: false, base: 105, footprint: 90,
        layers: [
          { shape: outline, color: BLACK, shadow: true },
          body(outline, color),
          { shape: ellipse(0, -98, 31, 13), color: dark },
          { shape: ellipse(0, -100, 25, 9), color: darker },
          { shape: rrect(-78, 96, 78, 99, 0), color: dark },
          { shape: poly([[-130, -46], [-124, -52], [-98, -18], [-104, -12]]), color: dark },
          { shape: poly([[130, -46], [124, -52], [98, -18], [104, -12]]), color: dark },
        ],
      };
    }
    case 'shirt':
    case 'jacket': {
      const half: [number, number][] = [[-26, -114], [-84, -102], [-142, 88], [-112, 98], [-86, -18], [-86, 114]];
      const outline = poly([...half, ...mirror(half).reverse(), [0, -92]]);
      const layers: Layer[] = [{ shape: outline, color: BLACK, shadow: true }];
      if (kind === 'jacket') {
        layers.push({ shape: ellipse(0, -116, 46, 30), color: lit(dark, [-46, -146, 46, -86]) });
        layers.push({ shape: ellipse(0, -110, 30, 17), color: darker });
      }
      layers.push(body(outline, color));
      layers.push({ shape: poly([[-142, 88], [-136, 70], [-108, 80], [-112, 98]]), color: dark });
      layers.push({ shape: poly([[142, 88], [136, 70], [108, 80], [112, 98]]), color: dark });
      if (kind === 'shirt') {
        layers.push({ shape: poly([[-28, -114], [-2, -90], [-14, -70], [-42, -104]]), color: dark });
        layers.push({ shape: poly([[28, -114], [2, -90], [14, -70], [42, -104]]), color: dark });
        layers.push({ shape: rrect(-5, -88, 5, 114, 0), color: scale(color, 0.9) });
        for (const y of [-70, -35, 0, 35, 70]) layers.push({ shape: ellipse(0, y, 4, 4), color: [58, 42, 32] });
        for (const s of [-1, 1]) {
          layers.push({ shape: rrect(s < 0 ? -66 : 24, -56, s < 0 ? -24 : 66, -14, 3), color: scale(color, 0.9) });
          layers.push({ shape: rrect(s < 0 ? -68 : 22, -60, s < 0 ? -22 : 68, -49, 2), color: dark });
          layers.push({ shape: ellipse(s * 45, -53, 3, 3), color: [58, 42, 32] });
        }
      } else {
        layers.push({ shape: rrect(-2.5, -92, 2.5, 114, 0), color: [40, 40, 44] });
        layers.push({ shape: rrect(24, -62, 64, -59, 1), color: [40, 40, 44] });
        for (const x of [-12, 12]) layers.push({ shape: ellipse(x, -88, 3.5, 5), color: [40, 40, 44] });
      }
      return { upright: false, base: 114, footprint: 100, layers };
    }
    case 'socks': {
      const sock: [number, number][] = [[-70, -115], [-22, -115], [-22, 18], [40, 26], [58, 46], [48, 72], [-50, 72], [-70, 52]];
      const second = sock.map(([x, y]) => [x + 62, y + 18] as [number, number]);
      const layers: Layer[] = [];
      for (const [pts, f] of [[second, 0.86], [sock, 1]] as const) {
        const s = poly(pts);
        const dx = pts[0]![0] + 70;
        const dy = pts[0]![1] + 115;
        layers.push({ shape: s, color: BLACK, shadow: true });
        layers.push(body(s, scale(color, f)));
        layers.push({ shape: rrect(-70 + dx, -115 + dy, -22 + dx, -92 + dy, 0), color: scale(color, 0.7 * f) });
        layers.push({ shape: rrect(-70 + dx, -84 + dy, -22 + dx, -80 + dy, 0), color: mix(color, WHITE, 0.55) });
        layers.push({ shape: ellipse(-54 + dx, 56 + dy, 18, 15), color: scale(color, 0.78 * f) });
        layers.push({ shape: ellipse(44 + dx, 50 + dy, 14, 19), color: scale(color, 0.78 * f) });
      }
      return { upright: false, base: 90, footprint: 90, layers };
    }
    case 'duvet': {
      const sheet = rrect(-135, -45, 135, 85, 12);
      const pillow = (x0: number) => rrect(x0, -105, x0 + 112, -40, 20);
      const layers: Layer[] = [
        { shape: sheet, color: BLACK, shadow: true },
        body(pillow(-118), mix(color, WHITE, 0.45), 0.15),
        body(pillow(6), mix(color, WHITE, 0.4), 0.15),
        body(sheet, color, 0.18),
      ];
      for (const y of [-10, 22, 50]) layers.push({ shape: poly([[-135, y], [-40, y + 5], [40, y - 3], [135, y + 4], [135, y + 7], [40, y], [-40, y + 8], [-135, y + 3]]), color: scale(color, 0.86) });
      for (let x = -110; x <= 110; x += 44) layers.push({ shape: ellipse(x, 78, 4, 4), color: [96, 70, 48] });
      return { upright: false, base: 85, footprint: 130, layers };
    }
    case 'mugs': {
      const clay: Rgb = [206, 182, 152];
      const layers: Layer[] = [];
      for (const [cx, dy, f] of [[-82, -8, 0.9], [82, -8, 0.95], [0, 12, 1]] as const) {
        const cup = rrect(cx - 34, -40 + dy, cx + 34, 62 + dy, 9);
        layers.push({ shape: ring(cx + 34, 12 + dy, 13, 25, (x) => x > cx + 30), color: scale(color, 0.8 * f) });
        const glazed = lit(scale(color, f), cup.box);
        const bare = lit(clay, cup.box);
        layers.push({ shape: cup, color: (x, y) => (y > 34 + dy + Math.sin(x / 6) * 4 ? bare(x, y) : glazed(x, y)) });
        layers.push({ shape: ellipse(cx, -40 + dy, 34, 8), color: scale(color, 0.5) });
        layers.push({ shape: ellipse(cx, -38 + dy, 29, 5.5), color: [70, 44, 28] });
      }
      return { upright: true, base: 74, footprint: 140, layers };
    }
    case 'bottle': {
      const cap: Rgb = [42, 42, 46];
      const bottle = rrect(-40, -88, 40, 132, 30);
      return {
        upright: true, base: 132, footprint: 44,
        layers: [
          { shape: ring(0, -160, 8, 15, (_x, y) => y < -148), color: cap },
          body(rrect(-27, -122, 27, -80, 8), scale(color, 0.9)),
          body(rrect(-31, -152, 31, -118, 10), cap),
          body(bottle, color, 0.3),
          { shape: rrect(-25, -70, -16, 112, 4), color: mix(color, WHITE, 0.35), alpha: 0.6 },
          { shape: rrect(-16, 10, 16, 40, 3), color: mix(color, WHITE, 0.7), alpha: 0.5 },
        ],
      };
    }
    case 'pack': {
      const strap: Rgb = [38, 40, 46];
      const pack = rrect(-88, -112, 88, 122, 46);
      return {
        upright: true, base: 122, footprint: 95,
        layers: [
          { shape: ring(0, -118, 10, 18, (_x, y) => y < -108), color: strap },
          body(pack, color),
          { shape: rrect(-80, -40, -68, 110, 4), color: strap },
          { shape: rrect(68, -40, 80, 110, 4), color: strap },
          body(rrect(-60, 8, 60, 106, 26), dark),
          { shape: rrect(-58, 20, 58, 23, 1), color: strap },
          { shape: poly([[-72, -60], [0, -92], [72, -60], [72, -57], [0, -89], [-72, -57]]), color: strap },
          { shape: rrect(-14, -36, 14, -22, 2), color: light },
        ],
      };
    }
    case 'skillet': {
      const handle = rrect(112, -15, 232, 15, 13);
      const pan = ellipse(0, 0, 122, 84);
      return {
        upright: false, base: 84, footprint: 120,
        layers: [
          { shape: pan, color: BLACK, shadow: true },
          { shape: handle, color: BLACK, shadow: true },
          body(handle, color, 0.3),
          { shape: ellipse(212, 0, 7, 7), color: [200, 196, 188] },
          { shape: ring(-128, 0, 8, 19), color: color },
          body(pan, scale(color, 1.15), 0.35),
          body(ellipse(0, 6, 106, 70), scale(color, 0.78), 0.2),
          { shape: poly([[-40, -40], [-10, -52], [-5, -46], [-36, -34]]), color: mix(color, WHITE, 0.35), alpha: 0.5 },
          body(ellipse(-36, 8, 36, 26), [246, 242, 232], 0.1),
          body(ellipse(-33, 4, 12, 10), [242, 176, 30], 0.3),
          body(ellipse(42, 16, 34, 25), [246, 242, 232], 0.1),
          body(ellipse(44, 13, 12, 10), [242, 170, 28], 0.3),
        ],
      };
    }
    case 'knife': {
      const board = rrect(-160, -70, 160, 78, 12);
      const steel: Rgb = [196, 200, 206];
      const blade = poly([[-150, 4], [-90, -16], [36, -22], [36, 14], [-40, 12], [-110, 10]]);
      const layers: Layer[] = [
        { shape: board, color: BLACK, shadow: true },
        body(board, [176, 128, 84], 0.15),
        { shape: blade, color: BLACK, shadow: true },
        body(blade, steel, 0.35),
        { shape: poly([[-150, 4], [-110, 10], [-40, 12], [36, 14], [36, 10], [-40, 8], [-110, 6]]), color: [236, 238, 240] },
        body(rrect(36, -22, 50, 16, 3), scale(steel, 0.8)),
        body(rrect(50, -17, 168, 13, 11), color),
      ];
      for (const x of [80, 128]) layers.push({ shape: ellipse(x, -2, 4, 4), color: [210, 210, 214] });
      for (const [x, y] of [[-70, 42], [-44, 50], [-18, 40], [8, 52], [-100, 50]] as const) {
        layers.push(body(ellipse(x, y, 12, 12), [232, 122, 36], 0.2));
        layers.push({ shape: ellipse(x, y, 5, 5), color: [244, 160, 70] });
      }
      return { upright: false, base: 78, footprint: 150, layers };
    }
    case 'lantern': {
      const glass = rrect(-38, -52, 38, 72, 10);
      return {
        upright: true, base: 96, footprint: 60,
        glow: { x: 0, y: 10, r: 120, color: [255, 196, 110] },
        layers: [
          { shape: ring(0, -78, 28, 35, (_x, y) => y < -76), color: [50, 50, 50] },
          {
            shape: glass,
            color: (x, y) => mix([255, 244, 214], [255, 190, 96], Math.min(1, Math.hypot(x / 38, (y - 10) / 62))),
          },
          ...[-38, -13, 13, 38].map((x) => ({ shape: rrect(x - 3, -52, x + 3, 72, 1), color: color })),
          body(rrect(-50, -78, 50, -50, 12), color),
          body(rrect(-48, 70, 48, 96, 8), color),
        ],
      };
    }
    case 'dripper': {
      const cone = poly([[-78, -70], [78, -70], [30, 40], [-30, 40]]);
      return {
        upright: true, base: 60, footprint: 70,
        layers: [
          body(rrect(-60, 40, 60, 60, 6), scale(color, 0.9)),
          body(cone, color),
          { shape: ellipse(0, -70, 78, 12), color: scale(color, 0.7) },
          { shape: ellipse(0, -68, 70, 8), color: [92, 60, 36] },
        ],
      };
    }
  }
}

interface Backdrop {
  wall: Rgb;
  floor: Rgb;
  /** Flat-lay backdrops have no horizon. */
  flat: boolean;
}

const BACKDROPS: Record<'apparel' | 'home' | 'outdoor' | 'kitchen' | 'dusk', readonly Backdrop[]> = {
  apparel: [
    { wall: [236, 231, 222], floor: [214, 205, 192], flat: true },
    { wall: [200, 160, 116], floor: [168, 126, 86], flat: true },
    { wall: [226, 228, 230], floor: [196, 200, 204], flat: true },
  ],
  home: [
    { wall: [236, 232, 224], floor: [200, 176, 140], flat: false },
    { wall: [220, 226, 228], floor: [178, 150, 116], flat: false },
    { wall: [232, 226, 214], floor: [214, 205, 192], flat: true },
  ],
  outdoor: [
    { wall: [178, 208, 230], floor: [112, 142, 88], flat: false },
    { wall: [200, 214, 222], floor: [150, 146, 136], flat: false },
    { wall: [226, 214, 190], floor: [170, 140, 100], flat: false },
  ],
  kitchen: [
    { wall: [230, 232, 232], floor: [214, 214, 210], flat: true },
    { wall: [210, 190, 160], floor: [186, 150, 110], flat: true },
  ],
  dusk: [{ wall: [40, 52, 82], floor: [58, 64, 60], flat: false }],
};

interface PhotoSpec {
  kind: SceneKind;
  category: keyof typeof BACKDROPS;
  color: string;
  portrait: boolean;
  seed: number;
}

/** Renders one deterministic product photo as PNG bytes (about 480 x 360). */
function renderPhoto(spec: PhotoSpec): Uint8Array {
  const rng = mulberry32(spec.seed);
  const W = spec.portrait ? 360 : 480;
  const H = spec.portrait ? 480 : 360;
  const color = scale(hexRgb(spec.color), 0.94 + rng() * 0.12);
  const scene = sceneFor(spec.kind, color);
  const category = spec.kind === 'lantern' ? 'dusk' : spec.category;
  const backdrops = BACKDROPS[category];
  const bd = backdrops[Math.floor(rng() * backdrops.length)]!;
  const flat = bd.flat && !scene.upright;
  const horizon = H * (0.5 + rng() * 0.14);

  // Placement: flat-lays are shot from above at any angle; upright things stand level.
  const bounds = scene.layers.filter((l) => !l.shadow).map((l) => l.shape.box);
  const minX = Math.min(...bounds.map((b) => b[0]));
  const minY = Math.min(...bounds.map((b) => b[1]));
  const maxX = Math.max(...bounds.map((b) => b[2]));
  const maxY = Math.max(...bounds.map((b) => b[3]));
  const angle = flat ? (rng() - 0.5) * 0.5 : (rng() - 0.5) * 0.05;
  const jitter = rng() - 0.5;
  let fit = Math.min((W * 0.74) / (maxX - minX), (H * 0.74) / (maxY - minY)) * (0.86 + rng() * 0.14);
  // The screen point of the local anchor: the middle of a flat-lay, the foot of an upright object.
  const anchorX = (minX + maxX) / 2;
  let anchorY: number;
  let cy: number;
  if (scene.upright) {
    anchorY = scene.base;
    cy = Math.min(H - 14, horizon + (H - horizon) * 0.5);
    fit = Math.min(fit, (cy - 14) / (scene.base - minY));
  } else {
    anchorY = (minY + maxY) / 2;
    cy = H / 2 + jitter * H * 0.06;
  }
  const cx = W / 2 + jitter * W * 0.1;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const toScreen = (lx: number, ly: number): [number, number] => [
    cx + fit * (cos * (lx - anchorX) - sin * (ly - anchorY)),
    cy + fit * (sin * (lx - anchorX) + cos * (ly - anchorY)),
  ];

  // Background: a vertical colour ramp plus a horizontal light falloff, each rounded on its
  // own so the sum is separable and PNG's Up filter reduces it to almost nothing.
  const buf = new Float32Array(W * H * 3);
  const warm = (rng() - 0.5) * 14;
  const column = new Float32Array(W);
  for (let x = 0; x < W; x++) column[x] = Math.round(-34 * (x / W) - 44 * ((x - W / 2) / W) ** 2);
  for (let y = 0; y < H; y++) {
    const c =
      flat || !scene.upright
        ? mix(bd.wall, bd.floor, (y / H) * 0.5 + 0.25)
        : y < horizon
          ? mix(bd.wall, scale(bd.wall, 0.9), y / horizon)
          : mix(bd.floor, scale(bd.floor, 0.82), (y - horizon) / (H - horizon));
    const lift = 16 - 20 * (y / H) - 44 * ((y - H / 2) / H) ** 2;
    const r = Math.round(c[0] + lift + warm);
    const g = Math.round(c[1] + lift);
    const b = Math.round(c[2] + lift - warm);
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3;
      buf[i] = r + column[x]!;
      buf[i + 1] = g + column[x]!;
      buf[i + 2] = b + column[x]!;
    }
  }
  if (scene.glow) {
    const [gx, gy] = toScreen(scene.glow.x, scene.glow.y);
    const r = scene.glow.r * fit;
    const glow = scene.glow.color;
    for (let y = Math.max(0, Math.floor(gy - r)); y < Math.min(H, gy + r); y++) {
      for (let x = Math.max(0, Math.floor(gx - r)); x < Math.min(W, gx + r); x++) {
        const d = Math.hypot(x - gx, y - gy) / r;
        if (d >= 1) continue;
        const t = (1 - d) ** 2 * 0.75;
        const i = (y * W + x) * 3;
        for (let k = 0; k < 3; k++) buf[i + k] = buf[i + k]! + (glow[k]! - buf[i + k]!) * t;
      }
    }
  }
  if (scene.upright) {
    // Contact shadow: a soft ellipse where the object meets the surface.
    const [sx, sy] = toScreen(0, scene.base);
    const rx = scene.footprint * fit * 1.25;
    const ry = 16 * fit;
    for (let y = Math.max(0, Math.floor(sy - ry * 2)); y < Math.min(H, sy + ry * 2); y++) {
      for (let x = Math.max(0, Math.floor(sx - rx * 2)); x < Math.min(W, sx + rx * 2); x++) {
        const d = Math.hypot((x - sx) / rx, (y - sy) / ry);
        const a = 0.4 * Math.max(0, 1 - d) ** 1.5;
        const i = (y * W + x) * 3;
        for (let k = 0; k < 3; k++) buf[i + k] = buf[i + k]! * (1 - a);
      }
    }
  }

  const shadowOffset = 7 * fit;
  for (const layer of scene.layers) {
    const off = layer.shadow ? shadowOffset : 0;
    const corners = [
      toScreen(layer.shape.box[0], layer.shape.box[1]),
      toScreen(layer.shape.box[2], layer.shape.box[1]),
      toScreen(layer.shape.box[0], layer.shape.box[3]),
      toScreen(layer.shape.box[2], layer.shape.box[3]),
    ];
    const x0 = Math.max(0, Math.floor(Math.min(...corners.map((c) => c[0])) + off) - 1);
    const x1 = Math.min(W, Math.ceil(Math.max(...corners.map((c) => c[0])) + off) + 1);
    const y0 = Math.max(0, Math.floor(Math.min(...corners.map((c) => c[1])) + off) - 1);
    const y1 = Math.min(H, Math.ceil(Math.max(...corners.map((c) => c[1])) + off) + 1);
    const alpha = layer.shadow ? 0.22 : (layer.alpha ?? 1);
    const hit = layer.shape.hit;
    // Local coordinates of a screen point, and the local step for half a pixel.
    const localX = (px: number, py: number) => (cos * (px - off - cx) + sin * (py - off - cy)) / fit + anchorX;
    const localY = (px: number, py: number) => (-sin * (px - off - cx) + cos * (py - off - cy)) / fit + anchorY;
    const ax = (cos * 0.5) / fit;
    const ay = (-sin * 0.5) / fit;
    const bx = (sin * 0.5) / fit;
    const by = (cos * 0.5) / fit;
    // One sample per pixel centre first; only pixels on an edge get 2 x 2 supersampling.
    const w = x1 - x0 + 2;
    const h = y1 - y0 + 2;
    const mask = new Uint8Array(w * h);
    for (let y = y0 - 1; y <= y1; y++) {
      for (let x = x0 - 1; x <= x1; x++) {
        mask[(y - y0 + 1) * w + (x - x0 + 1)] = hit(localX(x + 0.5, y + 0.5), localY(x + 0.5, y + 0.5)) ? 1 : 0;
      }
    }
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const m = (y - y0 + 1) * w + (x - x0 + 1);
        const around = mask[m - 1]! + mask[m + 1]! + mask[m - w]! + mask[m + w]! + mask[m]!;
        if (around === 0) continue;
        const cxl = localX(x + 0.5, y + 0.5);
        const cyl = localY(x + 0.5, y + 0.5);
        let cover = 1;
        if (around < 5 && !layer.shadow) {
          const lx = cxl - (ax + bx) / 2;
          const ly = cyl - (ay + by) / 2;
          cover =
            ((hit(lx, ly) ? 1 : 0) + (hit(lx + ax, ly + ay) ? 1 : 0) + (hit(lx + bx, ly + by) ? 1 : 0) + (hit(lx + ax + bx, ly + ay + by) ? 1 : 0)) / 4;
          if (cover === 0) continue;
        } else if (!mask[m]) {
          continue;
        }
        const a = alpha * cover;
        const c = typeof layer.color === 'function' ? layer.color(cxl, cyl) : layer.color;
        const i = (y * W + x) * 3;
        buf[i] = buf[i]! * (1 - a) + c[0] * a;
        buf[i + 1] = buf[i + 1]! * (1 - a) + c[1] * a;
        buf[i + 2] = buf[i + 2]! * (1 - a) + c[2] * a;
      }
    }
  }

  // Film grain: 3 x 3 blocks, the same on every channel. Finer or richer grain costs a lot
  // of PNG size; this keeps a photo around 20 to 50 KB.
  const png = new PNG({ width: W, height: H });
  const gw = Math.ceil(W / 3);
  const grain = new Int8Array(gw * Math.ceil(H / 3));
  for (let i = 0; i < grain.length; i++) grain[i] = rng() < 0.5 ? -3 : 3;
  const data = png.data;
  for (let y = 0; y < H; y++) {
    const row = ((y / 3) | 0) * gw;
    for (let x = 0; x < W; x++) {
      const g = grain[row + ((x / 3) | 0)]!;
      const i = (y * W + x) * 3;
      const o = (y * W + x) * 4;
      data[o] = clamp255(buf[i]! + g);
      data[o + 1] = clamp255(buf[i + 1]! + g);
      data[o + 2] = clamp255(buf[i + 2]! + g);
      data[o + 3] = 255;
    }
  }
  // The Up filter suits the row-separable background, and it is the fastest to encode.
  return new Uint8Array(PNG.sync.write(png, { colorType: 2, filterType: 2, deflateLevel: 6, deflateStrategy: 0 }));
}

const clamp255 = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0);
