/**
 * The demo store's catalogue (plain data, safe to import in the browser: the demo page
 * uses it). src/server/seed.ts writes reviews for these products; the first is the
 * best-seller and one has no reviews yet.
 */
export interface DemoProduct {
  id: string;
  name: string;
  price: number;
  currency: string;
  /** The product's main colour, for swatches and placeholder images. */
  color: string;
  description: string;
}

export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  { id: "organic-cotton-tee", name: "Organic Cotton Tee", price: 34, currency: "USD", color: "#7d9a7e", description: "Heavyweight 220 gsm organic cotton tee, garment-dyed in Portugal, with a rib collar that keeps its shape." },
  { id: "cast-iron-skillet", name: "Cast Iron Skillet, 10-inch", price: 65, currency: "USD", color: "#2f2f33", description: "Pre-seasoned cast iron with a smooth-milled cooking surface, two pour spouts and a helper handle." },
  { id: "insulated-bottle-750", name: "Insulated Bottle, 750 ml", price: 38, currency: "USD", color: "#2b7a78", description: "Double-wall stainless steel bottle that keeps drinks cold for 24 hours, with a leakproof loop cap." },
  { id: "wool-overshirt", name: "Wool Overshirt", price: 148, currency: "USD", color: "#8a5a3b", description: "Brushed wool-blend overshirt with two chest pockets and horn buttons: a shirt in spring, a light jacket in autumn." },
  { id: "packable-rain-jacket", name: "Packable Rain Jacket", price: 189, currency: "USD", color: "#e0a526", description: "Lightweight 2.5-layer waterproof shell that packs into its own chest pocket." },
  { id: "linen-duvet-cover", name: "Linen Duvet Cover", price: 210, currency: "USD", color: "#c9b8a3", description: "Stonewashed European flax linen with coconut-shell buttons and inner corner ties." },
  { id: "trail-daypack-22l", name: "Trail Daypack, 22 L", price: 119, currency: "USD", color: "#3d5a80", description: "Ventilated-back hiking daypack with a padded hip belt, stretch side pockets and a hydration sleeve." },
  { id: "stoneware-mug-set", name: "Stoneware Mug Set of 4", price: 48, currency: "USD", color: "#a4694a", description: "Four hand-glazed 350 ml stoneware mugs; dishwasher and microwave safe." },
  { id: "chefs-knife-8in", name: "Chef's Knife, 8-inch", price: 139, currency: "USD", color: "#6b4f3a", description: "Japanese VG-10 steel chef's knife with a walnut handle, hand-sharpened to 15 degrees." },
  { id: "camp-lantern", name: "Rechargeable Camp Lantern", price: 59, currency: "USD", color: "#4f6d3a", description: "USB-C rechargeable LED lantern with warm, dimmable light and up to three nights on low." },
  { id: "merino-crew-socks", name: "Merino Crew Socks, 3 Pack", price: 36, currency: "USD", color: "#5b6b8c", description: "Cushioned merino wool crew socks with a reinforced heel and toe." },
  { id: "ceramic-pour-over", name: "Ceramic Pour-Over Dripper", price: 42, currency: "USD", color: "#e8e1d6", description: "New: hand-thrown ceramic dripper for one or two cups; takes standard #2 filters." },
];
