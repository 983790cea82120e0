'use strict';
// One click adds a suggested tag to the article's tag field (a select2 box
// that also accepts new tags); the button goes away once used.
window.addEventListener('load', function() {
    document.querySelectorAll('.nr-suggestions').forEach(function(box) {
        const select = document.getElementById(box.dataset.target);
        if (!select) {
            return;
        }
        box.addEventListener('click', function(event) {
            const button = event.target.closest('.nr-suggestion');
            if (!button) {
                return;
            }
            const name = button.dataset.tag;
            const known = Array.from(select.options).find(function(option) {
                return option.text === name;
            });
            if (known) {
                known.selected = true;
            } else {
                select.add(new Option(name, name, true, true));
            }
            if (window.django && django.jQuery) {
                django.jQuery(select).trigger('change');  // let select2 redraw
            }
            button.remove();
        });
    });
});
