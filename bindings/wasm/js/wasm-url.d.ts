// Types of `cidrplan/cidrplan_bg.wasm` as a bundler's file loader hands it over: the URL
// of the emitted file, to pass to init({ module_or_path }).
declare const url: string;
export default url;
