// xhr2 ships no types: an XMLHttpRequest for Node, which the Direct Line client's Ajax (RxJS 5) uses as the browser's.
declare module "xhr2" {
  class XMLHttpRequest {}
  export = XMLHttpRequest;
}
